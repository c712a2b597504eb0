package io.taskgate.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.launcher.ops.ServiceFleet;
import io.taskgate.schemas.json.Json;
import io.taskgate.testing.HttpDriver;
import io.taskgate.testing.HttpDriver.Response;
import io.taskgate.testing.TestKafka;
import io.taskgate.testing.WithKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** The admin commands against a running gateway: every service over the test kit's broker. */
@WithKafka
class AdminCliIT {
    @TempDir
    static Path dataDir;

    private static ServiceFleet fleet;
    private static Map<String, String> env;
    private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();

    @BeforeAll
    static void start(TestKafka kafka) {
        LOGS.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(LOGS);
        fleet = new ServiceFleet(kafka, dataDir.resolve("fleet"));
        env = Map.of("TASKGATE_URL", fleet.ingressUrl(), "TASKGATE_ADMIN_TOKEN", fleet.adminToken());
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(LOGS);
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void shouldCreateListShowAndDisableAnAgentFromTheTerminal() throws Exception {
        Run created = taskgate(env, "agents", "create", "cli-bot", "--tools", "echo,sleep", "--actions", "*",
                "--description", "made from the CLI");
        assertEquals(0, created.exit(), created.toString());
        assertTrue(created.out().contains("BEGIN PRIVATE KEY") && created.out().contains("whsec_"), created.out());
        assertTrue(created.err().contains("does not show them again"), created.err());
        String id = field(created.out(), "id");

        Run listed = taskgate(env, "agents", "list");
        assertEquals(0, listed.exit(), listed.toString());
        assertTrue(listed.out().startsWith("ID "), listed.out());
        assertTrue(listed.out().lines().anyMatch(line -> line.startsWith(id) && line.contains("cli-bot") && line.contains("echo,sleep")),
                listed.out());
        assertFalse(listed.out().contains("PRIVATE KEY"));

        JsonNode json = Json.mapper().readTree(taskgate(env, "agents", "list", "--json").out());
        assertTrue(json.path("agents").findValuesAsText("id").contains(id), json.toString());

        Run shown = taskgate(env, "agents", "show", id, "--json");
        assertEquals("made from the CLI", Json.mapper().readTree(shown.out()).path("description").asText(), shown.toString());

        Run disabled = taskgate(env, "agents", "disable", id);
        assertEquals(0, disabled.exit(), disabled.toString());
        assertEquals("yes", field(disabled.out(), "disabled"));
    }

    @Test
    void shouldMintATokenTheGatewayAcceptsAndReadItsTask() throws Exception {
        String id = Json.mapper().readTree(taskgate(env, "agents", "create", "cli-runner", "--tools", "echo", "--actions", "*", "--json")
                .out()).path("id").asText();
        Run minted = taskgate(env, "tokens", "mint", id, "--actions", "run", "--expires-in", "600", "--json");
        assertEquals(0, minted.exit(), minted.toString());
        JsonNode token = Json.mapper().readTree(minted.out());
        assertEquals("[\"run\"]", token.path("actions").toString());
        String accessToken = token.path("token").asText();

        Response answered = new HttpDriver(fleet.ingressUrl()).postTask(accessToken, "echo.run", "{\"input\": {\"from\": \"cli\"}}",
                "Prefer", "wait=30");
        assertEquals(200, answered.statusCode(), answered::toString);
        String taskId = answered.json().path("task_id").asText();

        Map<String, String> asOwner = new HashMap<>(env);
        asOwner.put("TASKGATE_AGENT_TOKEN", accessToken);
        Run got = taskgate(asOwner, "tasks", "get", taskId);
        assertEquals(0, got.exit(), got.toString());
        assertEquals("succeeded", field(got.out(), "status"));
        assertEquals("{\"from\":\"cli\"}", field(got.out(), "result"));

        Run cancelled = taskgate(asOwner, "tasks", "cancel", taskId);
        assertEquals(1, cancelled.exit(), cancelled.toString());
        assertEquals(1, cancelled.err().lines().count(), cancelled.err());
        assertTrue(cancelled.err().startsWith("taskgate tasks cancel: HTTP 409 CONFLICT: "), cancelled.err());

        for (ILoggingEvent event : List.copyOf(LOGS.list)) {
            String line = event.getFormattedMessage();
            assertFalse(line.contains(accessToken) || line.contains(fleet.adminToken()) || line.contains("PRIVATE KEY"), line);
        }
    }

    @Test
    void shouldApplyAPolicyFileAndShowIt() throws Exception {
        Path policy = dataDir.resolve("policy.yaml");
        Files.writeString(policy, "version: 1\ndefaults:\n  rate_limit: 600/minute\ntasks:\n  sleep.*:\n    rate_limit: 100/minute\n");

        Run applied = taskgate(env, "policy", "apply", policy.toString());
        assertEquals(0, applied.exit(), applied.toString());
        assertEquals("1", field(applied.out(), "task_rules"));

        Run shown = taskgate(env, "policy", "show");
        assertTrue(shown.out().contains("sleep.*:"), shown.out());
        JsonNode json = Json.mapper().readTree(taskgate(env, "policy", "show", "--json").out());
        assertEquals("100/minute", json.path("tasks").path("sleep.*").path("rate_limit").asText(), json.toString());

        Path broken = dataDir.resolve("broken.yaml");
        Files.writeString(broken, "version: 1\ntasks:\n  sleep.*:\n    rate_limit: often\n");
        Run refused = taskgate(env, "policy", "apply", broken.toString());
        assertEquals(1, refused.exit(), refused.toString());
        assertEquals(1, refused.err().lines().count(), refused.err());
        assertTrue(refused.err().startsWith("taskgate policy apply: HTTP 400 BAD_REQUEST: "), refused.err());
    }

    @Test
    void shouldSayWhatWentWrongInOneLineWithTheHttpStatus() {
        Run unknown = taskgate(env, "agents", "show", "agt_nope");
        assertEquals(1, unknown.exit());
        assertEquals("taskgate agents show: HTTP 404 NOT_FOUND: no agent agt_nope", unknown.err().strip());

        Map<String, String> wrongToken = new HashMap<>(env);
        wrongToken.put("TASKGATE_ADMIN_TOKEN", "not-the-admin-token");
        Run refused = taskgate(wrongToken, "agents", "list");
        assertEquals(1, refused.exit());
        assertTrue(refused.err().startsWith("taskgate agents list: HTTP 401 UNAUTHORIZED: "), refused.err());
        assertFalse(refused.err().contains("not-the-admin-token"), refused.err());

        Run unreachable = taskgate(env, "agents", "list", "--url", "http://127.0.0.1:9");
        assertEquals(1, unreachable.exit());
        assertTrue(unreachable.err().startsWith("taskgate agents list: cannot reach http://127.0.0.1:9"), unreachable.err());

        Map<String, String> noToken = new HashMap<>(env);
        noToken.remove("TASKGATE_ADMIN_TOKEN");
        Run unset = taskgate(noToken, "agents", "list");
        assertEquals(2, unset.exit());
        assertEquals("taskgate agents list: TASKGATE_ADMIN_TOKEN: is not set; the admin API needs it", unset.err().strip());
    }

    private static String field(String out, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + " +(.*)$").matcher(out);
        assertTrue(matcher.find(), name + " in " + out);
        return matcher.group(1).strip();
    }

    private static Run taskgate(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Taskgate.commandLine(environment);
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exit = commandLine.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private record Run(int exit, String out, String err) {
    }
}
