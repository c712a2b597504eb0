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
    static Http http;
    static Http second;
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
        Await.until(DEADLINE, secondIngress::isReady, ready -> ready, "second ingress ready");
        http = new Http(dev.ingressUrl());
        second = new Http("http://127.0.0.1:" + secondIngress.port());
        admin = dev.adminToken();

        Http.Response agent = http.post("/api/agents", admin,
                "{\"name\": \"research-bot\", \"tools\": [\"echo\", \"sleep\", \"http_fetch\"], \"actions\": [\"*\"]}");
        assertEquals(201, agent.status(), agent::toString);
        agentId = agent.json().get("id").asText();
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
        Http.Response minted = http.post("/api/agents/" + agent + "/tokens", admin,
                "{\"tools\": " + tools + ", \"actions\": " + actions + ", \"expires_in\": 3600}");
        assertEquals(201, minted.status(), minted::toString);
        return minted.json().get("token").asText();
    }

    @Test
    void shouldRunAnAcceptedTaskAndAnswerItsStatusByPolling() {
        Http.Response accepted = http.post("/__runner/task/echo.run", token, "{\"input\": {\"msg\": \"hello\"}}");
        assertEquals(202, accepted.status(), accepted::toString);
        String taskId = accepted.json().get("task_id").asText();
        assertEquals("/__runner/tasks/" + taskId, accepted.header("Location"));
        assertEquals("queued", accepted.json().get("status").asText());
        assertNotNull(accepted.header("X-Request-Id"));

        JsonNode done = Await.until(DEADLINE, () -> http.get("/__runner/tasks/" + taskId, token),
                response -> response.status() == 200 && "succeeded".equals(response.json().path("status").asText()),
                "echo task to succeed").json();
        assertEquals("hello", done.path("result").path("msg").asText());
        assertEquals("echo.run", done.path("name").asText());
    }

    @Test
    void shouldHoldTheResponseUntilTheTaskEndsWhenAskedToWait() {
        Http.Response answered = http.post("/__runner/task/echo.run", token, "{\"input\": [1, 2, 3]}", "Prefer", "wait=20");
        assertEquals(200, answered.status(), answered::toString);
        assertEquals("succeeded", answered.json().path("status").asText());
        assertEquals(3, answered.json().path("result").size());
    }

    @Test
    void shouldServeTheStatusViewFromAnyIngressInstance() {
        Http.Response accepted = http.post("/__runner/task/sleep.run", token, "{\"input\": {\"ms\": 300}}");
        assertEquals(202, accepted.status(), accepted::toString);
        String taskId = accepted.json().get("task_id").asText();

        Http.Response waited = second.get("/__runner/tasks/" + taskId + "?wait=20", token);
        assertEquals(200, waited.status(), waited::toString);
        assertEquals("succeeded", waited.json().path("status").asText(), waited::toString);
        Http.Response fromFirst = http.get("/__runner/tasks/" + taskId, token);
        assertEquals("succeeded", fromFirst.json().path("status").asText(), fromFirst::toString);

        Http.Response acceptedBySecond = second.post("/__runner/task/echo.run", token, "{\"input\": \"via second\"}");
        assertEquals(202, acceptedBySecond.status(), acceptedBySecond::toString);
        String otherId = acceptedBySecond.json().get("task_id").asText();
        Http.Response seenByFirst = http.get("/__runner/tasks/" + otherId + "?wait=20", token);
        assertEquals("via second", seenByFirst.json().path("result").asText(), seenByFirst::toString);
    }

    @Test
    void shouldAnswer429WithRetryAfterOncePolicyRateLimitIsSpent() {
        String agent = http.post("/api/agents", admin, "{\"name\": \"sleepy\", \"tools\": [\"sleep\"], \"actions\": [\"run\"]}")
                .json().get("id").asText();
        String sleepy = mintToken(agent, "[\"sleep\"]", "[\"run\"]");
        for (int i = 0; i < 2; i++) {
            Http.Response allowed = http.post("/__runner/task/sleep.run", sleepy, "{\"input\": {\"ms\": 1}}", "Prefer", "wait=20");
            assertEquals(200, allowed.status(), allowed::toString);
        }
        Http.Response limited = http.post("/__runner/task/sleep.run", sleepy, "{\"input\": {\"ms\": 1}}", "Prefer", "wait=20");
        assertEquals(429, limited.status(), limited::toString);
        assertEquals("RATE_LIMITED", limited.json().path("error").path("codeName").asText());
        int retryAfter = Integer.parseInt(limited.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
    }

    @Test
    void shouldRefuseRequestsWithoutAValidToken() {
        Http.Response missing = http.post("/__runner/task/echo.run", null, "{\"input\": 1}");
        assertError(missing, 401, "UNAUTHORIZED");
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "c2lnbmF0dXJlLWZvcmdlZC1ieS1hbi1hdHRhY2tlcg";
        assertError(http.post("/__runner/task/echo.run", forged, "{\"input\": 1}"), 401, "UNAUTHORIZED");
    }

    @Test
    void shouldRefuseATaskOutsideTheTokensScope() {
        String echoOnly = mintToken(agentId, "[\"echo\"]");
        assertError(http.post("/__runner/task/sleep.run", echoOnly, "{\"input\": {\"ms\": 1}}"), 403, "FORBIDDEN");
    }

    @Test
    void shouldAnswer404ForUnknownTasksAndOtherAgentsTasks() {
        assertError(http.post("/__runner/task/nope.run", token, "{\"input\": 1}"), 404, "NOT_FOUND");
        String taskId = http.post("/__runner/task/echo.run", token, "{\"input\": 1}").json().get("task_id").asText();
        String other = http.post("/api/agents", admin, "{\"name\": \"other-bot\", \"tools\": [\"echo\"], \"actions\": [\"*\"]}")
                .json().get("id").asText();
        String otherToken = mintToken(other, "[\"echo\"]");
        Await.until(DEADLINE, () -> http.get("/__runner/tasks/" + taskId, token), r -> r.status() == 200, "task visible to owner");
        assertError(http.get("/__runner/tasks/" + taskId, otherToken), 404, "NOT_FOUND");
        assertError(http.get("/__runner/tasks/tsk_00000000000000000000000000", token), 404, "NOT_FOUND");
    }

    @Test
    void shouldRefuseBadBodies() {
        byte[] huge = new byte[1024 * 1024 + 10];
        Arrays.fill(huge, (byte) 'a');
        byte[] hugeJson = ("{\"input\": \"" + new String(huge, StandardCharsets.US_ASCII) + "\"}").getBytes(StandardCharsets.US_ASCII);
        assertError(http.postRaw("/__runner/task/echo.run", token, "application/json", hugeJson), 413, "PAYLOAD_TOO_LARGE");
        assertError(http.postRaw("/__runner/task/echo.run", token, "text/plain", "hi".getBytes(StandardCharsets.UTF_8)),
                415, "UNSUPPORTED_MEDIA_TYPE");
        assertError(http.post("/__runner/task/echo.run", token, "{\"input\": "), 400, "BAD_REQUEST");
        assertError(http.post("/__runner/task/echo.run", token, "{\"inptu\": 1}"), 400, "BAD_REQUEST");
    }

    @Test
    void shouldGiveTheSameTaskForTheSameIdempotencyKey() {
        Http.Response first = http.post("/__runner/task/echo.run", token, "{\"input\": \"once\"}", "Idempotency-Key", "order-42");
        Http.Response again = second.post("/__runner/task/echo.run", token, "{\"input\": \"once\"}", "Idempotency-Key", "order-42");
        assertEquals(202, first.status(), first::toString);
        assertEquals(first.json().get("task_id"), again.json().get("task_id"));
        Http.Response different = http.post("/__runner/task/echo.run", token, "{\"input\": \"once\"}", "Idempotency-Key", "order-43");
        assertNotEquals(first.json().get("task_id"), different.json().get("task_id"));
    }

    @Test
    void shouldRefuseHttpFetchOfALoopbackAddress() {
        Http.Response answered = http.post("/__runner/task/http_fetch.get", token,
                "{\"input\": {\"url\": \"http://127.0.0.1:" + secondIngress.port() + "/health\"}}", "Prefer", "wait=20");
        assertEquals(200, answered.status(), answered::toString);
        assertEquals("failed", answered.json().path("status").asText(), answered::toString);
    }

    @Test
    void shouldAuditEveryStepOfATaskWithoutSecrets() {
        Http.Response answered = http.post("/__runner/task/echo.run", token, "{\"input\": {\"secret\": \"do-not-store\"}}",
                "Prefer", "wait=20");
        String taskId = answered.json().get("task_id").asText();
        JsonNode records = Await.until(DEADLINE, () -> http.get("/api/audit?task_id=" + taskId + "&limit=50", admin),
                response -> response.status() == 200 && actions(response.json()).containsAll(
                        Set.of("task.accepted", "policy.decision", "task.started", "task.succeeded")),
                "the task's audit records").json();
        String all = records.toString();
        assertTrue(!all.contains("do-not-store"), "input stored in clear: " + all);
        assertTrue(!all.contains(token), "token stored in the audit trail");
        assertError(http.get("/api/audit?task_id=" + taskId, token), 401, "UNAUTHORIZED");
    }

    @Test
    void shouldReportHealthAndMetrics() {
        Http.Response health = http.get("/health", null);
        assertEquals(200, health.status(), health::toString);
        assertEquals("up", health.json().path("kafka").asText());
        Http.Response metrics = http.get("/metrics", null);
        assertTrue(metrics.raw().body().contains("taskgate_"), "no taskgate metrics");
    }

    private static Set<String> actions(JsonNode body) {
        Set<String> actions = new HashSet<>();
        StreamSupport.stream(body.path("records").spliterator(), false)
                .forEach(record -> actions.add(record.path("type").asText()));
        return actions;
    }

    private static void assertError(Http.Response response, int status, String codeName) {
        assertEquals(status, response.status(), response::toString);
        JsonNode body = response.json();
        assertEquals(false, body.path("ok").asBoolean(true), response::toString);
        assertEquals(status, body.path("error").path("code").asInt(), response::toString);
        assertEquals(codeName, body.path("error").path("codeName").asText(), response::toString);
        assertNotNull(body.path("request_id").asText(null), response::toString);
    }
}
