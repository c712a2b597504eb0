package io.taskgate.launcher.compose;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.taskgate.launcher.Taskgate;
import io.taskgate.platform.config.KafkaClientProperties;
import io.taskgate.platform.config.Setting;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * What CI can check of docker-compose.yml without a Docker engine: it is a valid Compose file (the
 * Compose Specification's JSON Schema, kept in deploy/), and everything of Taskgate it names exists:
 * settings, commands, health endpoints on the right ports. {@code ComposeWalkthroughIT} then runs it.
 */
class ComposeFileTest {
    private static final Path SCHEMA = ComposeFile.REPOSITORY.resolve("deploy/compose-spec.json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SETTINGS = Arrays.stream(Setting.values()).map(Setting::envName).collect(Collectors.toSet());

    private static Set<ValidationMessage> schemaErrors(ComposeFile file) throws IOException {
        // The specification's schema still carries draft-04 "id" annotations; they validate nothing.
        JsonMetaSchema meta = JsonMetaSchema.builder(JsonMetaSchema.getV201909())
                .keyword(new NonValidationKeyword("id"))
                .build();
        JsonSchemaFactory factory = JsonSchemaFactory.builder(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V201909))
                .metaSchema(meta)
                .build();
        JsonSchema schema;
        try (InputStream in = Files.newInputStream(SCHEMA)) {
            schema = factory.getSchema(in);
        }
        JsonNode document = JSON.valueToTree(file.document());
        return schema.validate(document);
    }

    private static ComposeFile edited(String from, String to) throws IOException {
        String text = Files.readString(ComposeFile.FILE);
        assertTrue(text.contains(from), "the edit's anchor is gone: " + from);
        return ComposeFile.parse(new StringReader(text.replace(from, to)));
    }

    @Test
    void shouldMatchTheComposeSpecification() throws IOException {
        assertEquals(Set.of(), schemaErrors(ComposeFile.load()));
    }

    @Test
    void shouldCatchAnInvalidEdit() throws IOException {
        assertFalse(schemaErrors(edited("replicas: 3", "replicas: three")).isEmpty(), "replicas must be a number");
        assertFalse(schemaErrors(edited("    healthcheck:\n      test: [\"CMD-SHELL\", \"pg_isready",
                "    helthcheck:\n      test: [\"CMD-SHELL\", \"pg_isready")).isEmpty(), "unknown service key");
        assertFalse(schemaErrors(edited("      interval: 10s", "      interval: [10s]")).isEmpty(), "interval must be a duration");
    }

    @Test
    void shouldNameOnlyRealSettings() throws IOException {
        for (ComposeFile.Service service : ComposeFile.load().services().values()) {
            for (Map.Entry<String, String> variable : service.environment().entrySet()) {
                if (variable.getKey().startsWith("TASKGATE_") && !SETTINGS.contains(variable.getKey())) {
                    assertDoesNotThrow(() -> KafkaClientProperties.from(Map.of(), Map.of(variable.getKey(), variable.getValue())),
                            service.name() + ": " + variable.getKey() + " is neither a setting nor a Kafka client property");
                }
            }
        }
        for (String interpolated : ComposeFile.variablesIn(Files.readString(ComposeFile.FILE))) {
            assertTrue(!interpolated.startsWith("TASKGATE_") || SETTINGS.contains(interpolated), interpolated + " is not a setting");
        }
    }

    @Test
    void shouldRunRealTaskgateCommands() throws IOException {
        List<ComposeFile.Service> taskgate = ComposeFile.load().taskgateServices();
        assertEquals(Set.of("ingress", "policy", "worker", "audit-sink"),
                taskgate.stream().map(service -> service.command().get(0)).collect(Collectors.toSet()));
        for (ComposeFile.Service service : taskgate) {
            CommandLine.ParseResult parsed = new CommandLine(new Taskgate()).parseArgs(service.command().toArray(String[]::new));
            assertTrue(parsed.hasSubcommand(), service.name() + ": " + service.command());
            assertTrue(parsed.subcommand().unmatched().isEmpty(), service.name() + ": " + service.command());
        }
    }

    @Test
    void shouldCheckHealthOnEachServicesOwnPort() throws IOException {
        for (ComposeFile.Service service : ComposeFile.load().taskgateServices()) {
            URI health = URI.create(service.healthcheckUrl());
            assertEquals("/health", health.getPath(), service.name());
            assertEquals("127.0.0.1", health.getHost(), service.name());
            assertEquals(service.environment().get(service.portSetting().envName()), String.valueOf(health.getPort()),
                    service.name() + " checks a port it does not listen on");
        }
    }

    @Test
    void shouldRunWhatTheDesignLists() throws IOException {
        Map<String, ComposeFile.Service> services = ComposeFile.load().services();
        assertTrue(String.valueOf(services.get("kafka").definition().get("image")).startsWith("apache/kafka:"));
        assertEquals("broker,controller", services.get("kafka").environment().get("KAFKA_PROCESS_ROLES"));
        assertTrue(String.valueOf(services.get("postgres").definition().get("image")).startsWith("postgres:"));
        assertTrue(services.get("audit-sink").environment().get("TASKGATE_AUDIT_JDBC_URL").startsWith("jdbc:postgresql://postgres:5432/"));
        assertEquals(3, services.get("worker").replicas());
        List<ComposeFile.Service> ingress = services.values().stream()
                .filter(service -> service.isTaskgate() && service.command().get(0).equals("ingress")).toList();
        assertEquals(2, ingress.size());
        String proxyConfig = Files.readString(ComposeFile.REPOSITORY.resolve("deploy/nginx.conf"));
        for (ComposeFile.Service instance : ingress) {
            assertTrue(proxyConfig.contains("server " + instance.name() + ":" + instance.environment().get("TASKGATE_PORT")),
                    "the proxy does not reach " + instance.name());
            assertEquals("http://" + instance.name() + ":" + instance.environment().get("TASKGATE_PORT"),
                    instance.environment().get("TASKGATE_ADVERTISED_URL"));
        }
        for (ComposeFile.Service service : services.values()) {
            assertFalse(service.healthcheck().isEmpty(), service.name() + " has no health check");
        }
    }

    @Test
    void shouldBuildTheImageFromTheProjectsOwnBuild() throws IOException {
        String dockerfile = Files.readString(ComposeFile.REPOSITORY.resolve("Dockerfile"));
        assertTrue(dockerfile.contains("RUN mvn -B -ntp -DskipTests -Dmaven.test.skip=true package"), dockerfile);
        assertTrue(dockerfile.contains("COPY --from=build /src/launcher/target/taskgate.jar"), dockerfile);
        assertTrue(dockerfile.contains("COPY --from=build /src/launcher/target/lib"), dockerfile);
        assertTrue(dockerfile.contains("ENTRYPOINT [\"java\", \"-jar\", \"/opt/taskgate/taskgate.jar\"]"), dockerfile);
        assertTrue(Files.readString(ComposeFile.REPOSITORY.resolve("launcher/pom.xml")).contains("<finalName>taskgate</finalName>"));
    }
}
