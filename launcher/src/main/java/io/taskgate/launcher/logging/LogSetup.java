package io.taskgate.launcher.logging;

import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Tells logback (its {@code logback.xml}) which format to write and which service this process
 * is, through two system properties. It must run before the first logger is made, which is when
 * logback reads its configuration.
 */
public final class LogSetup {
    static final String FORMAT_PROPERTY = "taskgate.log.format";
    static final String SERVICE_PROPERTY = "taskgate.service";
    private static final String CLI = "taskgate-cli";
    private static final Set<String> FORMATS = Set.of("text", "json");
    private static final Map<String, String> SERVICES = Map.of(
            "dev", "dev", "ingress", "ingress", "policy", "policy-stream", "worker", "worker", "audit-sink", "audit-sink");

    private LogSetup() {
    }

    /** Sets the properties; answers the one line to print instead when the format is not valid. */
    public static Optional<String> configure(String[] args, Map<String, String> env) {
        String format = format(env).trim().toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(format)) {
            return Optional.of(Setting.LOG_FORMAT.envName() + " must be text or json, not '" + format + "'");
        }
        System.setProperty(FORMAT_PROPERTY, format);
        System.setProperty(SERVICE_PROPERTY, serviceOf(args));
        return Optional.empty();
    }

    /** {@code taskgate policy} runs policy-stream, but {@code taskgate policy apply FILE} is a client. */
    static String serviceOf(String[] args) {
        if (args.length == 0) {
            return "taskgate";
        }
        boolean subcommand = args.length > 1 && !args[1].startsWith("-");
        return subcommand ? CLI : SERVICES.getOrDefault(args[0], CLI);
    }

    private static String format(Map<String, String> env) {
        try {
            return ConfigSource.load(env).string(Setting.LOG_FORMAT);
        } catch (ConfigException e) {
            // A broken taskgate.yaml is reported by the command itself, in its own words.
            return env.getOrDefault(Setting.LOG_FORMAT.envName(), Setting.LOG_FORMAT.defaultValue());
        }
    }
}
