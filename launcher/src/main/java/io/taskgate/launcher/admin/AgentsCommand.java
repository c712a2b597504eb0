package io.taskgate.launcher.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "agents", mixinStandardHelpOptions = true, description = "Agents, through the admin API (TASKGATE_URL, TASKGATE_ADMIN_TOKEN).",
        subcommands = {AgentsCommand.Create.class, AgentsCommand.ListAgents.class, AgentsCommand.Show.class, AgentsCommand.Disable.class})
public final class AgentsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create an agent; its private key and webhook secret are printed this once.")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        AdminOptions admin;
        @Parameters(paramLabel = "NAME", description = "the agent's name")
        String name;
        @Option(names = "--tools", required = true, split = ",", paramLabel = "TOOL", description = "tools it may use, or *")
        List<String> tools;
        @Option(names = "--actions", required = true, split = ",", paramLabel = "ACTION", description = "actions it may run, or *")
        List<String> actions;
        @Option(names = "--description", description = "what the agent is for")
        String description;

        @Override
        public Integer call() {
            return admin.run(spec, (client, out) -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("name", name);
                if (description != null) {
                    body.put("description", description);
                }
                body.put("tools", tools);
                body.put("actions", actions);
                JsonNode created = client.postJson("api/agents", body);
                if (admin.json()) {
                    AdminOptions.printJson(out, created);
                    return;
                }
                List<String[]> fields = agentFields(created);
                fields.add(new String[] {"webhook_secret", created.path("webhook_secret").asText()});
                Table.fields(out, fields);
                out.println();
                out.print(created.path("private_key").asText());
                spec.commandLine().getErr().println("Keep the private key and webhook secret now: Taskgate does not show them again.");
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List every agent.")
    static final class ListAgents implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        AdminOptions admin;

        @Override
        public Integer call() {
            return admin.run(spec, (client, out) -> {
                JsonNode listed = client.getJson("api/agents");
                if (admin.json()) {
                    AdminOptions.printJson(out, listed);
                    return;
                }
                Table table = new Table("ID", "NAME", "TOOLS", "ACTIONS", "CREATED", "DISABLED");
                listed.path("agents").forEach(agent -> table.row(agent.path("id").asText(), agent.path("name").asText(),
                        AdminOptions.names(agent.path("tools")), AdminOptions.names(agent.path("actions")),
                        agent.path("created_at").asText("-"), agent.path("disabled").asBoolean() ? "yes" : "no"));
                table.print(out);
            });
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one agent.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        AdminOptions admin;
        @Parameters(paramLabel = "ID", description = "the agent's id (agt_...)")
        String id;

        @Override
        public Integer call() {
            return admin.run(spec, (client, out) -> print(out, admin, client.getJson("api/agents/" + PathSegment.of(id))));
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Disable an agent: its tokens stop working within seconds on every instance.")
    static final class Disable implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        AdminOptions admin;
        @Parameters(paramLabel = "ID", description = "the agent's id (agt_...)")
        String id;

        @Override
        public Integer call() {
            return admin.run(spec, (client, out) -> print(out, admin, client.delete("api/agents/" + PathSegment.of(id))));
        }
    }

    private static void print(PrintWriter out, AdminOptions admin, JsonNode agent) {
        if (admin.json()) {
            AdminOptions.printJson(out, agent);
        } else {
            Table.fields(out, agentFields(agent));
        }
    }

    private static List<String[]> agentFields(JsonNode agent) {
        List<String[]> fields = new ArrayList<>();
        fields.add(new String[] {"id", agent.path("id").asText()});
        fields.add(new String[] {"name", agent.path("name").asText()});
        if (agent.hasNonNull("description")) {
            fields.add(new String[] {"description", agent.get("description").asText()});
        }
        fields.add(new String[] {"tools", AdminOptions.names(agent.path("tools"))});
        fields.add(new String[] {"actions", AdminOptions.names(agent.path("actions"))});
        fields.add(new String[] {"created_at", agent.path("created_at").asText("-")});
        fields.add(new String[] {"disabled", agent.path("disabled").asBoolean() ? "yes" : "no"});
        return fields;
    }
}
