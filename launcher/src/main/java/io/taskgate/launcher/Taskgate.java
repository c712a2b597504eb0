package io.taskgate.launcher;

import io.taskgate.launcher.admin.AdminOptions;
import io.taskgate.launcher.admin.AgentsCommand;
import io.taskgate.launcher.admin.KeysCommand;
import io.taskgate.launcher.admin.TasksCommand;
import io.taskgate.launcher.admin.TokensCommand;
import io.taskgate.launcher.audit.AuditCommand;
import io.taskgate.launcher.broker.BrokerCommand;
import io.taskgate.launcher.dev.DevCommand;
import io.taskgate.launcher.dlq.DlqCommand;
import io.taskgate.launcher.logging.LogSetup;
import io.taskgate.launcher.run.ServiceCommands;
import io.taskgate.launcher.secrets.SecretsCommand;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.ops.Version;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one executable, {@code taskgate}: runs any one service, or all of them ({@code dev}). */
@Command(
        name = "taskgate",
        mixinStandardHelpOptions = true,
        versionProvider = Taskgate.VersionProvider.class,
        description = "Taskgate, a Kafka-backed asynchronous task gateway.",
        subcommands = {
            DevCommand.class,
            BrokerCommand.class,
            ServiceCommands.Ingress.class,
            ServiceCommands.Policy.class,
            ServiceCommands.Worker.class,
            ServiceCommands.AuditSink.class,
            ServiceCommands.Webhooks.class,
            AuditCommand.class,
            DlqCommand.class,
            SecretsCommand.class,
            AgentsCommand.class,
            TokensCommand.class,
            KeysCommand.class,
            TasksCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Taskgate implements Runnable {

    public static void main(String[] args) {
        Optional<String> badLogFormat = LogSetup.configure(args, System.getenv());
        if (badLogFormat.isPresent()) {
            System.err.println("taskgate: " + badLogFormat.get());
            System.exit(2);
        }
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return commandLine(System.getenv());
    }

    /** The command line over this environment: the admin commands read TASKGATE_URL and the admin token from it. */
    public static CommandLine commandLine(Map<String, String> env) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == AdminOptions.class ? type.cast(new AdminOptions(env)) : defaults.create(type);
            }
        };
        CommandLine commandLine = new CommandLine(new Taskgate(), factory).setUsageHelpWidth(120);
        String settings = settingsTable();
        commandLine.getCommandSpec().usageMessage().footer(settings);
        commandLine.getSubcommands().values().forEach(sub -> sub.getCommandSpec().usageMessage().footer(settings));
        return commandLine;
    }

    /** Every setting with its default: environment variables win over taskgate.yaml, which wins over these. */
    static String settingsTable() {
        StringBuilder out = new StringBuilder("%nSettings (environment, or lower-case without TASKGATE_ in taskgate.yaml):%n");
        for (Setting setting : Setting.values()) {
            String shown = setting.secret() ? "secret, no default"
                    : setting.defaultValue().isEmpty() ? "no default" : "default " + setting.defaultValue();
            out.append(String.format("  %s (%s)%n      %s%n", setting.envName(), shown, setting.description())
                    .replace("%", "%%"));
        }
        out.append(String.format("  TASKGATE_KAFKA_<PROPERTY> (no default)%n"
                + "      any Kafka client property for every client of every service, e.g. TASKGATE_KAFKA_SECURITY_PROTOCOL=SASL_SSL,%n"
                + "      TASKGATE_KAFKA_SASL_MECHANISM, TASKGATE_KAFKA_SASL_JAAS_CONFIG (secret), TASKGATE_KAFKA_SSL_TRUSTSTORE_LOCATION;%n"
                + "      or a 'kafka:' map of property: value in taskgate.yaml. Secret values are never printed.%n").replace("%", "%%"));
        return out.toString();
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"taskgate " + Version.current()};
        }
    }
}
