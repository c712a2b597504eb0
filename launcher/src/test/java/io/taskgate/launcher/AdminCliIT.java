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
import java.util.Base64;
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
    void shouldRevokeATokenByTokenAndByJtiFromTheTerminal() throws Exception {
        HttpDriver http = new HttpDriver(fleet.ingressUrl());
        String id = Json.mapper().readTree(taskgate(env, "agents", "create", "cli-revoked", "--tools", "echo", "--actions", "*", "--json")
                .out()).path("id").asText();
        String byToken = Json.mapper().readTree(taskgate(env, "tokens", "mint", id, "--json").out()).path("token").asText();
        String byJti = Json.mapper().readTree(taskgate(env, "tokens", "mint", id, "--json").out()).path("token").asText();
        assertEquals(200, http.postJson("/api/validate", "{}", HttpDriver.bearer(byToken)).statusCode());
        String jti = Json.mapper().readTree(Base64.getUrlDecoder().decode(byJti.split("\\.")[1])).path("jti").asText();

        Run revoked = taskgate(env, "tokens", "revoke", "--token", byToken);
        assertEquals(0, revoked.exit(), revoked.toString());
        assertEquals("yes", field(revoked.out(), "revoked"));
        Run revokedByJti = taskgate(env, "tokens", "revoke", "--jti", jti, "--json");
        assertEquals(0, revokedByJti.exit(), revokedByJti.toString());
        assertEquals(jti, Json.mapper().readTree(revokedByJti.out()).path("jti").asText(), revokedByJti.out());

        http.postJson("/api/validate", "{}", HttpDriver.bearer(byToken)).assertError(401, "UNAUTHORIZED");
        http.postJson("/api/validate", "{}", HttpDriver.bearer(byJti)).assertError(401, "UNAUTHORIZED");

        Run both = taskgate(env, "tokens", "revoke", "--token", byToken, "--jti", jti);
        assertEquals(2, both.exit(), both.toString());
        Run forged = taskgate(env, "tokens", "revoke", "--token", "eyJhbGciOiJIUzI1NiJ9.e30.c2ln");
        assertEquals(1, forged.exit(), forged.toString());
        assertTrue(forged.err().startsWith("taskgate tokens revoke: HTTP 400 BAD_REQUEST: "), forged.err());
        assertEquals(1, forged.err().lines().count(), forged.err());
    }

    @Test
    void shouldCreateListAndRevokeAnApiKeyWhoseRoleTheGatewayEnforces() throws Exception {
        Run created = taskgate(env, "keys", "create", "cli-operator", "--role", "operator");
        assertEquals(0, created.exit(), created.toString());
        assertTrue(created.err().contains("does not show it again"), created.err());
        String keyId = field(created.out(), "id");
        String key = field(created.out(), "key");
        assertTrue(keyId.startsWith("key_") && key.startsWith("tgk_"), created.out());

        Map<String, String> asOperator = new HashMap<>(env);
        asOperator.put("TASKGATE_ADMIN_TOKEN", key);
        assertEquals(0, taskgate(asOperator, "agents", "list").exit());
        Run forbidden = taskgate(asOperator, "keys", "create", "escalated", "--role", "admin");
        assertEquals(1, forbidden.exit(), forbidden.toString());
        assertTrue(forbidden.err().startsWith("taskgate keys create: HTTP 403 FORBIDDEN: "), forbidden.err());
        assertFalse(forbidden.err().contains(key), forbidden.err());

        Run listed = taskgate(asOperator, "keys", "list");
        assertEquals(0, listed.exit(), listed.toString());
        assertTrue(listed.out().startsWith("ID "), listed.out());
        assertTrue(listed.out().lines().anyMatch(line -> line.startsWith(keyId) && line.contains("cli-operator") && line.contains("operator")),
                listed.out());
        assertFalse(listed.out().contains(key), listed.out());
        JsonNode json = Json.mapper().readTree(taskgate(env, "keys", "list", "--json").out());
        assertTrue(json.path("keys").findValuesAsText("id").contains(keyId), json.toString());

        Run revoked = taskgate(env, "keys", "revoke", keyId);
        assertEquals(0, revoked.exit(), revoked.toString());
        assertEquals("yes", field(revoked.out(), "deleted"));
        Run refused = taskgate(asOperator, "agents", "list");
        assertEquals(1, refused.exit(), refused.toString());
        assertTrue(refused.err().startsWith("taskgate agents list: HTTP 401 UNAUTHORIZED: "), refused.err());

        Run unknown = taskgate(env, "keys", "revoke", keyId);
        assertEquals("taskgate keys revoke: HTTP 404 NOT_FOUND: no API key " + keyId, unknown.err().strip());
        Run badRole = taskgate(env, "keys", "create", "cli-nobody", "--role", "superuser");
        assertEquals(1, badRole.exit(), badRole.toString());
        assertTrue(badRole.err().startsWith("taskgate keys create: HTTP 400 BAD_REQUEST: role must be one of "), badRole.err());

        for (ILoggingEvent event : List.copyOf(LOGS.list)) {
            assertFalse(event.getFormattedMessage().contains(key), event.getFormattedMessage());
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
