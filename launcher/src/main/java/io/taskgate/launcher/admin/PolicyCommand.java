package io.taskgate.launcher.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code taskgate policy apply|show}: the policy in force, through the admin API. They are
 * subcommands of {@code taskgate policy}, which alone runs the policy-stream service.
 */
public final class PolicyCommand {
    private PolicyCommand() {
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Validate a policy file (YAML or JSON) and apply it on every instance without a restart.")
    public static final class Apply implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        AdminOptions admin;
        @Parameters(paramLabel = "FILE", description = "the policy document (.yaml, .yml or .json)")
        Path file;
        @Option(names = "--force", description = "apply even if ingress.ip_allowlist would refuse this machine")
        boolean force;

        @Override
        public Integer call() {
            String document;
            try {
                document = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                spec.commandLine().getErr().println(spec.qualifiedName() + ": cannot read " + file + ": " + e.getMessage());
                spec.commandLine().getErr().flush();
                return 2;
            }
            String contentType = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")
                    ? "application/json" : "application/yaml";
            return admin.run(spec, (client, out) -> {
                JsonNode applied = client.put("api/policy" + (force ? "?force=true" : ""), contentType, document);
                if (admin.json()) {
                    AdminOptions.printJson(out, applied);
                    return;
                }
                Table.fields(out, List.of(
                        new String[] {"applied", file.toString()},
                        new String[] {"version", applied.path("version").asText()},
                        new String[] {"task_rules", applied.path("task_rules").asText()},
                        new String[] {"updated_at", applied.path("updated_at").asText()},
                        new String[] {"document_hash", applied.path("document_hash").asText()}));
            });
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print the policy in force as it was applied (with --json: as JSON, whatever it was written in).")
    public static final class Show implements Callable<Integer> {
        private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

        @Spec
        CommandSpec spec;
        @Mixin
        AdminOptions admin;

        @Override
        public Integer call() {
            return admin.run(spec, (client, out) -> {
                String document = client.getText("api/policy");
                if (!admin.json()) {
                    out.print(document.endsWith("\n") ? document : document + "\n");
                    return;
                }
                try {
                    AdminOptions.printJson(out, YAML.readTree(document));
                } catch (JsonProcessingException e) {
                    throw new AdminException("the policy in force is neither JSON nor YAML: " + e.getOriginalMessage());
                }
            });
        }
    }
}
