package io.taskgate.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.ingress.IngressConfig;
import io.taskgate.ingress.IngressService;
import io.taskgate.launcher.dev.DevEnvironment;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.KafkaSettings;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.ops.Metrics;
import io.taskgate.testing.Await;
import io.taskgate.testing.HttpDriver;
import io.taskgate.testing.HttpDriver.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's walkthrough against {@code taskgate dev}: a real embedded broker and every service,
 * driven over HTTP only, plus a second ingress instance over the same broker.
 */
class EndToEndIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    static Path dataDir;

    static DevEnvironment dev;
    static IngressService secondIngress;
    static HttpDriver http;
    static HttpDriver second;
    static String admin;
    static String agentId;
    static String token;

    @BeforeAll
    static void startEverything() throws IOException {
        Path policy = dataDir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: 1
                defaults:
                  rate_limit: 600/minute
                tasks:
                  sleep.*:
                    rate_limit: 2/minute
                """);
        ConfigSource config = ConfigSource.of(Map.of(
                Setting.DATA_DIR, dataDir.resolve("data").toString(),
                Setting.PORT, "0",
                Setting.AUDIT_PORT, "0",
                Setting.POLICY_FILE, policy.toString()));
        dev = DevEnvironment.start(config, Metrics.newRegistry("test"), Clock.systemUTC());
        IngressConfig secondConfig = IngressConfig.from(dev.config()).withPort(0, dataDir.resolve("second-ingress-state"));
        secondIngress = IngressService.start(secondConfig, new KafkaClients(KafkaSettings.from(dev.config())),
                Metrics.newRegistry("test"), Clock.systemUTC());
        Await.value("second ingress ready", secondIngress::isReady, ready -> ready, DEADLINE);
        http = new HttpDriver(dev.ingressUrl());
        second = new HttpDriver("http://127.0.0.1:" + secondIngress.port());
        admin = dev.adminToken();

        agentId = http.createAgent(admin,
                "{\"name\": \"research-bot\", \"tools\": [\"echo\", \"sleep\", \"http_fetch\"], \"actions\": [\"*\"]}");
        token = mintToken(agentId, "[\"echo\", \"sleep\", \"http_fetch\"]");
    }

    @AfterAll
    static void stopEverything() {
        if (secondIngress != null) {
            secondIngress.close();
        }
        if (dev != null) {
            dev.close();
        }
    }

    private static String mintToken(String agent, String tools) {
        return mintToken(agent, tools, "[\"*\"]");
    }

    private static String mintToken(String agent, String tools, String actions) {
        return http.mintToken(admin, agent, "{\"tools\": " + tools + ", \"actions\": " + actions + ", \"expires_in\": 3600}");
    }

    @Test
    void shouldRunAnAcceptedTaskAndAnswerItsStatusByPolling() {
        Response accepted = http.postTask(token, "echo.run", "{\"input\": {\"msg\": \"hello\"}}");
        assertEquals(202, accepted.statusCode(), accepted::toString);
        String taskId = accepted.json().get("task_id").asText();
        assertEquals("/__runner/tasks/" + taskId, accepted.header("Location"));
        assertEquals("queued", accepted.json().get("status").asText());
        assertNotNull(accepted.header("X-Request-Id"));

        JsonNode done = Await.value("echo task to succeed", () -> http.getTask(token, taskId, ""),
                response -> response.statusCode() == 200 && "succeeded".equals(response.json().path("status").asText()), DEADLINE).json();
        assertEquals("hello", done.path("result").path("msg").asText());
        assertEquals("echo.run", done.path("name").asText());
    }

    @Test
    void shouldHoldTheResponseUntilTheTaskEndsWhenAskedToWait() {
        Response answered = http.postTask(token, "echo.run", "{\"input\": [1, 2, 3]}", "Prefer", "wait=20");
        assertEquals(200, answered.statusCode(), answered::toString);
        assertEquals("succeeded", answered.json().path("status").asText());
        assertEquals(3, answered.json().path("result").size());
    }

    @Test
    void shouldServeTheStatusViewFromAnyIngressInstance() {
        Response accepted = http.postTask(token, "sleep.run", "{\"input\": {\"ms\": 300}}");
        assertEquals(202, accepted.statusCode(), accepted::toString);
        String taskId = accepted.json().get("task_id").asText();

        Response waited = second.getTask(token, taskId, "?wait=20");
        assertEquals(200, waited.statusCode(), waited::toString);
        assertEquals("succeeded", waited.json().path("status").asText(), waited::toString);
        Response fromFirst = http.getTask(token, taskId, "");
        assertEquals("succeeded", fromFirst.json().path("status").asText(), fromFirst::toString);

        Response acceptedBySecond = second.postTask(token, "echo.run", "{\"input\": \"via second\"}");
        assertEquals(202, acceptedBySecond.statusCode(), acceptedBySecond::toString);
        String otherId = acceptedBySecond.json().get("task_id").asText();
        Response seenByFirst = http.getTask(token, otherId, "?wait=20");
        assertEquals("via second", seenByFirst.json().path("result").asText(), seenByFirst::toString);
    }

    @Test
    void shouldAnswer429WithRetryAfterOncePolicyRateLimitIsSpent() {
        String agent = http.createAgent(admin, "{\"name\": \"sleepy\", \"tools\": [\"sleep\"], \"actions\": [\"run\"]}");
        String sleepy = mintToken(agent, "[\"sleep\"]", "[\"run\"]");
        for (int i = 0; i < 2; i++) {
            Response allowed = http.postTask(sleepy, "sleep.run", "{\"input\": {\"ms\": 1}}", "Prefer", "wait=20");
            assertEquals(200, allowed.statusCode(), allowed::toString);
        }
        Response limited = http.postTask(sleepy, "sleep.run", "{\"input\": {\"ms\": 1}}", "Prefer", "wait=20");
        assertEquals(429, limited.statusCode(), limited::toString);
        assertEquals("RATE_LIMITED", limited.json().path("error").path("codeName").asText());
        int retryAfter = Integer.parseInt(limited.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
    }

    @Test
    void shouldRefuseRequestsWithoutAValidToken() {
        Response missing = http.postJson("/__runner/task/echo.run", "{\"input\": 1}");
        missing.assertError(401, "UNAUTHORIZED");
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "c2lnbmF0dXJlLWZvcmdlZC1ieS1hbi1hdHRhY2tlcg";
        http.postTask(forged, "echo.run", "{\"input\": 1}").assertError(401, "UNAUTHORIZED");
    }

    @Test
    void shouldRefuseATaskOutsideTheTokensScope() {
        String echoOnly = mintToken(agentId, "[\"echo\"]");
        http.postTask(echoOnly, "sleep.run", "{\"input\": {\"ms\": 1}}").assertError(403, "FORBIDDEN");
    }

    @Test
    void shouldAnswer404ForUnknownTasksAndOtherAgentsTasks() {
        http.postTask(token, "nope.run", "{\"input\": 1}").assertError(404, "NOT_FOUND");
        String taskId = http.postTask(token, "echo.run", "{\"input\": 1}").json().get("task_id").asText();
        String other = http.createAgent(admin, "{\"name\": \"other-bot\", \"tools\": [\"echo\"], \"actions\": [\"*\"]}");
        String otherToken = mintToken(other, "[\"echo\"]");
        Await.value("task visible to owner", () -> http.getTask(token, taskId, ""), r -> r.statusCode() == 200, DEADLINE);
        http.getTask(otherToken, taskId, "").assertError(404, "NOT_FOUND");
        http.getTask(token, "tsk_00000000000000000000000000", "").assertError(404, "NOT_FOUND");
    }

    @Test
    void shouldRefuseBadBodies() {
        byte[] huge = new byte[1024 * 1024 + 10];
        Arrays.fill(huge, (byte) 'a');
        byte[] hugeJson = ("{\"input\": \"" + new String(huge, StandardCharsets.US_ASCII) + "\"}").getBytes(StandardCharsets.US_ASCII);
        http.as(token).postBytes("/__runner/task/echo.run", "application/json", hugeJson).assertError(413, "PAYLOAD_TOO_LARGE");
        http.as(token).postBytes("/__runner/task/echo.run", "text/plain", "hi".getBytes(StandardCharsets.UTF_8))
                .assertError(415, "UNSUPPORTED_MEDIA_TYPE");
        http.postTask(token, "echo.run", "{\"input\": ").assertError(400, "BAD_REQUEST");
        http.postTask(token, "echo.run", "{\"inptu\": 1}").assertError(400, "BAD_REQUEST");
    }

    @Test
    void shouldGiveTheSameTaskForTheSameIdempotencyKey() {
        Response first = http.postTask(token, "echo.run", "{\"input\": \"once\"}", "Idempotency-Key", "order-42");
        Response again = second.postTask(token, "echo.run", "{\"input\": \"once\"}", "Idempotency-Key", "order-42");
        assertEquals(202, first.statusCode(), first::toString);
        assertEquals(first.json().get("task_id"), again.json().get("task_id"));
        Response different = http.postTask(token, "echo.run", "{\"input\": \"once\"}", "Idempotency-Key", "order-43");
        assertNotEquals(first.json().get("task_id"), different.json().get("task_id"));
    }

    @Test
    void shouldRefuseHttpFetchOfALoopbackAddress() {
        Response answered = http.postTask(token, "http_fetch.get",
                "{\"input\": {\"url\": \"http://127.0.0.1:" + secondIngress.port() + "/health\"}}", "Prefer", "wait=20");
        assertEquals(200, answered.statusCode(), answered::toString);
        assertEquals("failed", answered.json().path("status").asText(), answered::toString);
    }

    @Test
    void shouldAuditEveryStepOfATaskWithoutSecrets() {
        Response answered = http.postTask(token, "echo.run", "{\"input\": {\"secret\": \"do-not-store\"}}", "Prefer", "wait=20");
        String taskId = answered.json().get("task_id").asText();
        JsonNode records = Await.value("the task's audit records",
                () -> http.as(admin).get("/api/audit?task_id=" + taskId + "&limit=50"),
                response -> response.statusCode() == 200 && actions(response.json()).containsAll(
                        Set.of("task.accepted", "policy.decision", "task.started", "task.succeeded")), DEADLINE).json();
        String all = records.toString();
        assertTrue(!all.contains("do-not-store"), "input stored in clear: " + all);
        assertTrue(!all.contains(token), "token stored in the audit trail");
        http.as(token).get("/api/audit?task_id=" + taskId).assertError(401, "UNAUTHORIZED");
    }

    @Test
    void shouldReportHealthAndMetrics() {
        Response health = http.get("/health");
        assertEquals(200, health.statusCode(), health::toString);
        assertEquals("up", health.json().path("kafka").asText());
        Response metrics = http.get("/metrics");
        assertTrue(metrics.raw().body().contains("taskgate_"), "no taskgate metrics");
    }

    private static Set<String> actions(JsonNode body) {
        Set<String> actions = new HashSet<>();
        StreamSupport.stream(body.path("records").spliterator(), false)
                .forEach(record -> actions.add(record.path("type").asText()));
        return actions;
    }
}
