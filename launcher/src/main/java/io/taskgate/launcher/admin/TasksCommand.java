package io.taskgate.launcher.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Tasks by id. Ingress shows a task only to its owner, so {@code get} and {@code cancel} send the
 * owner's access token from {@code TASKGATE_AGENT_TOKEN} when it is set (an environment variable,
 * not an option, to keep it out of process lists), else the admin token; {@code redeliver} is an
 * admin operation and always sends the admin token.
 */
@Command(name = "tasks", mixinStandardHelpOptions = true,
        description = {"Tasks by id. Ingress shows a task to its owner only: set TASKGATE_AGENT_TOKEN to the owner's access token."},
        subcommands = {TasksCommand.Get.class, TasksCommand.Cancel.class, TasksCommand.Redeliver.class})
public final class TasksCommand implements Runnable {
    static final String AGENT_TOKEN = "TASKGATE_AGENT_TOKEN";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "A task's status and result.")
    static final class Get implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        AdminOptions admin;
        @Parameters(paramLabel = "ID", description = "the task id")
        String id;
        @Option(names = "--wait", paramLabel = "SECONDS", description = "wait up to this long (at most 30) for the task to end")
        Integer wait;

        @Override
        public Integer call() {
            String query = wait == null ? "" : "?wait=" + wait;
            return admin.run(spec, agentToken(admin),
                    (client, out) -> print(out, admin, client.getJson("__runner/tasks/" + PathSegment.of(id) + query)));
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a task that has not started.")
    static final class Cancel implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        AdminOptions admin;
        @Parameters(paramLabel = "ID", description = "the task id")
        String id;

        @Override
        public Integer call() {
            return admin.run(spec, agentToken(admin),
                    (client, out) -> print(out, admin, client.delete("__runner/tasks/" + PathSegment.of(id))));
        }
    }

    @Command(name = "redeliver", mixinStandardHelpOptions = true,
            description = "Send an ended task's webhook again (a new round of the retry schedule, the same webhook-id).")
    static final class Redeliver implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        AdminOptions admin;
        @Parameters(paramLabel = "ID", description = "the task id")
        String id;

        @Override
        public Integer call() {
            return admin.run(spec, (client, out) -> {
                JsonNode answer = client.postJson("api/tasks/" + PathSegment.of(id) + "/redeliver", Map.of());
                if (admin.json()) {
                    AdminOptions.printJson(out, answer);
                } else {
                    out.println("redelivery of " + id + " requested");
                }
            });
        }
    }

    private static Optional<String> agentToken(AdminOptions admin) {
        return admin.env(AGENT_TOKEN);
    }

    private static void print(PrintWriter out, AdminOptions admin, JsonNode task) {
        if (admin.json()) {
            AdminOptions.printJson(out, task);
            return;
        }
        List<String[]> fields = new ArrayList<>();
        fields.add(new String[] {"task_id", task.path("task_id").asText()});
        fields.add(new String[] {"name", task.path("name").asText()});
        fields.add(new String[] {"status", task.path("status").asText()});
        fields.add(new String[] {"attempts", task.path("attempts").asText()});
        fields.add(new String[] {"created_at", task.path("created_at").asText("-")});
        fields.add(new String[] {"updated_at", task.path("updated_at").asText("-")});
        if (task.has("result")) {
            fields.add(new String[] {"result", task.get("result").toString()});
        }
        if (task.hasNonNull("error")) {
            JsonNode error = task.get("error");
            fields.add(new String[] {"error", error.path("codeName").asText() + ": " + error.path("message").asText()});
        }
        Table.fields(out, fields);
    }
}
