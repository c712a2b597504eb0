package io.taskgate.launcher.admin;

import com.fasterxml.jackson.databind.JsonNode;
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

/** API keys: create one of a role (the key is shown this once), list them, revoke one. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "API keys and their roles, through the admin API.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
public final class KeysCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an API key; the key is printed this once.")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        AdminOptions admin;
        @Parameters(paramLabel = "NAME", description = "what the key is for")
        String name;
        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "admin, operator, auditor or service")
        String role;

        @Override
        public Integer call() {
            return admin.run(spec, (client, out) -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("name", name);
                body.put("role", role);
                JsonNode created = client.postJson("api/keys", body);
                if (admin.json()) {
                    AdminOptions.printJson(out, created);
                } else {
                    List<String[]> fields = new ArrayList<>();
                    fields.add(new String[] {"id", created.path("id").asText()});
                    fields.add(new String[] {"name", created.path("name").asText()});
                    fields.add(new String[] {"role", created.path("role").asText()});
                    fields.add(new String[] {"created_at", created.path("created_at").asText("-")});
                    fields.add(new String[] {"key", created.path("key").asText()});
                    Table.fields(out, fields);
                }
                spec.commandLine().getErr().println("Keep the key now: Taskgate keeps only its hash and does not show it again.");
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List API keys (ids, names, roles; never a key).")
    static final class ListKeys implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        AdminOptions admin;

        @Override
        public Integer call() {
            return admin.run(spec, (client, out) -> {
                JsonNode listed = client.getJson("api/keys");
                if (admin.json()) {
                    AdminOptions.printJson(out, listed);
                    return;
                }
                Table table = new Table("ID", "NAME", "ROLE", "CREATED");
                listed.path("keys").forEach(key -> table.row(key.path("id").asText(), key.path("name").asText(),
                        key.path("role").asText(), key.path("created_at").asText("-")));
                table.print(out);
            });
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Delete an API key: every ingress instance refuses it within moments.")
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        AdminOptions admin;
        @Parameters(paramLabel = "ID", description = "the key's id (key_...)")
        String id;

        @Override
        public Integer call() {
            return admin.run(spec, (client, out) -> {
                JsonNode deleted = client.delete("api/keys/" + PathSegment.of(id));
                if (admin.json()) {
                    AdminOptions.printJson(out, deleted);
                    return;
                }
                List<String[]> fields = new ArrayList<>();
                fields.add(new String[] {"id", deleted.path("id").asText()});
                fields.add(new String[] {"deleted", deleted.path("deleted").asBoolean() ? "yes" : "no"});
                Table.fields(out, fields);
            });
        }
    }
}
