package io.taskgate.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.platform.config.Setting;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TaskgateHelpTest {

    @Test
    void shouldListEverySettingWithItsDefaultInTheHelp() {
        String help = usage(Taskgate.commandLine());
        for (Setting setting : Setting.values()) {
            assertTrue(help.contains(setting.envName()), setting.envName() + " missing from --help");
        }
        assertTrue(help.contains("TASKGATE_PORT (default 8080)"), help);
    }

    @Test
    void shouldNotPrintSecretDefaults() {
        String help = usage(Taskgate.commandLine());
        assertTrue(help.contains("TASKGATE_ADMIN_TOKEN (secret, no default)"), help);
    }

    @Test
    void shouldOfferEveryCommandOfTheDesign() {
        CommandLine commandLine = Taskgate.commandLine();
        for (String command : new String[] {"dev", "broker", "ingress", "policy", "worker", "audit-sink", "audit", "dlq"}) {
            assertTrue(commandLine.getSubcommands().containsKey(command), command);
        }
        assertTrue(commandLine.getSubcommands().get("audit").getSubcommands().containsKey("verify"));
        assertTrue(commandLine.getSubcommands().get("dlq").getSubcommands().containsKey("replay"));
        assertTrue(usage(commandLine.getSubcommands().get("worker")).contains("--pool"));
    }

    @Test
    void shouldOfferTheAdminCommandsOfTheDesign() {
        Map<String, CommandLine> commands = Taskgate.commandLine().getSubcommands();

        assertEquals(Set.of("create", "list", "show", "disable"), commands.get("agents").getSubcommands().keySet());
        assertEquals(Set.of("mint", "revoke"), commands.get("tokens").getSubcommands().keySet());
        assertEquals(Set.of("create", "list", "revoke"), commands.get("keys").getSubcommands().keySet());
        assertEquals(Set.of("apply", "show"), commands.get("policy").getSubcommands().keySet());
        assertEquals(Set.of("get", "cancel", "redeliver"), commands.get("tasks").getSubcommands().keySet());
        assertTrue(usage(commands.get("agents").getSubcommands().get("list")).contains("--json"));
    }


    @Test
    void shouldExitWithUsageErrorOnAnUnknownCommand() {
        CommandLine commandLine = Taskgate.commandLine();
        commandLine.setErr(new PrintWriter(new StringWriter()));
        assertEquals(2, commandLine.execute("nope"));
    }

    private static String usage(CommandLine commandLine) {
        StringWriter out = new StringWriter();
        commandLine.usage(new PrintWriter(out));
        return out.toString();
    }
}
