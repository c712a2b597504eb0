package io.taskgate.launcher;

import io.taskgate.launcher.audit.AuditCommand;
import io.taskgate.launcher.dev.DevCommand;
import io.taskgate.launcher.dlq.DlqCommand;
import io.taskgate.launcher.run.ServiceCommands;
import io.taskgate.launcher.tasks.TasksCommand;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.ops.Version;
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
            ServiceCommands.Ingress.class,
            ServiceCommands.Policy.class,
            ServiceCommands.Worker.class,
            ServiceCommands.AuditSink.class,
            ServiceCommands.Webhooks.class,
            TasksCommand.class,
            AuditCommand.class,
            DlqCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Taskgate implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Taskgate()).setUsageHelpWidth(120);
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
