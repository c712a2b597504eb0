package io.taskgate.launcher.secrets;

import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.secrets.SecretNames;
import io.taskgate.platform.secrets.SecretsException;
import io.taskgate.platform.secrets.SecretsFile;
import io.taskgate.platform.secrets.SecretsKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code taskgate secrets set NAME | list | rm NAME}: the tool secrets in {@code DATA_DIR/secrets.enc},
 * encrypted under {@code TASKGATE_KEK_BASE64}. A value is read from standard input, never from the
 * command line, where it would land in the shell history and the process list; values are never printed.
 */
@Command(name = "secrets", mixinStandardHelpOptions = true,
        description = {"Tool secrets in DATA_DIR/secrets.enc, encrypted under TASKGATE_KEK_BASE64.",
            "A secret NAME is used by a tool (openai_api_key, serpapi_api_key, smtp_password, ...);",
            "TASKGATE_SECRET_<NAME> in a service's environment wins over the file."})
public final class SecretsCommand implements Runnable {
    private static final int LARGEST_VALUE = 64 * 1024;

    private final Map<String, String> env;
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;

    public SecretsCommand() {
        this(System.getenv(), System.in, System.out, System.err);
    }

    SecretsCommand(Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        this.env = env;
        this.in = in;
        this.out = out;
        this.err = err;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(out);
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Store a secret; its value is read from standard input (one trailing newline dropped).")
    int set(@Parameters(paramLabel = "NAME", description = "such as openai_api_key") String name) {
        return withFile("set", file -> {
            String value = readValue();
            if (value.isEmpty()) {
                err.println("taskgate secrets set: no value on standard input");
                return 2;
            }
            file.set(name, value);
            out.println("secret " + SecretNames.validate(name) + " stored in " + file.path());
            return 0;
        });
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The names of the stored secrets (never their values).")
    int list() {
        return withFile("list", file -> {
            new TreeSet<>(file.read().keySet()).forEach(out::println);
            return 0;
        });
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove a secret; exit 1 when there was none by that name.")
    int rm(@Parameters(paramLabel = "NAME") String name) {
        return withFile("rm", file -> {
            if (!file.remove(name)) {
                err.println("taskgate secrets rm: no secret named " + SecretNames.validate(name));
                return 1;
            }
            out.println("secret " + SecretNames.validate(name) + " removed");
            return 0;
        });
    }

    private int withFile(String command, Function<SecretsFile, Integer> action) {
        try {
            ConfigSource config = ConfigSource.load(env);
            if (!config.isSet(Setting.KEK_BASE64)) {
                throw new ConfigException(Setting.KEK_BASE64,
                        "is required (base64 of 32 random bytes, e.g. from: openssl rand -base64 32)");
            }
            SecretsKey key = SecretsKey.fromBase64(config.string(Setting.KEK_BASE64));
            Path path = SecretsFile.in(Path.of(config.required(Setting.DATA_DIR)));
            return action.apply(new SecretsFile(path, key, new SecureRandom()));
        } catch (ConfigException | SecretsException | IllegalArgumentException | UncheckedIOException e) {
            err.println("taskgate secrets " + command + ": " + e.getMessage());
            return 2;
        }
    }

    private String readValue() {
        try {
            byte[] bytes = in.readNBytes(LARGEST_VALUE + 1);
            if (bytes.length > LARGEST_VALUE) {
                throw new IllegalArgumentException("a secret is at most " + LARGEST_VALUE + " bytes");
            }
            String value = new String(bytes, StandardCharsets.UTF_8);
            if (value.endsWith("\r\n")) {
                return value.substring(0, value.length() - 2);
            }
            return value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read standard input", e);
        }
    }
}
