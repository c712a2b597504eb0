package io.taskgate.launcher.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workflows and state against {@code taskgate dev} and a second ingress instance, over HTTP only. */
class WorkflowsAndStateIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String YAML = "application/yaml";
    private static final String JSON = "application/json";

    @TempDir
    static Path dataDir;

    static DevEnvironment dev;
    static IngressService secondIngress;
    static HttpDriver http;
    static HttpDriver second;
    static String admin;
    static String token;
    static String echoOnly;

    @BeforeAll
    static void startEverything() {
        ConfigSource config = ConfigSource.of(Map.of(
                Setting.DATA_DIR, dataDir.resolve("data").toString(),
                Setting.PORT, "0",
                Setting.AUDIT_PORT, "0"));
        dev = DevEnvironment.start(config, Metrics.newRegistry("test"), Clock.systemUTC());
        IngressConfig secondConfig = IngressConfig.from(dev.config()).withPort(0, dataDir.resolve("second-ingress-state"));
        secondIngress = IngressService.start(secondConfig, new KafkaClients(KafkaSettings.from(dev.config())),
                Metrics.newRegistry("test"), Clock.systemUTC());
        Await.value("second ingress ready", secondIngress::isReady, ready -> ready, DEADLINE);
        http = new HttpDriver(dev.ingressUrl());
        second = new HttpDriver("http://127.0.0.1:" + secondIngress.port());
        admin = dev.adminToken();
        String agentId = http.createAgent(admin, "{\"name\": \"flow-bot\", \"tools\": [\"*\"], \"actions\": [\"*\"]}");
        token = http.mintToken(admin, agentId, "{\"state\": [\"notes\"], \"expires_in\": 3600}");
        echoOnly = http.mintToken(admin, agentId, "{\"tools\": [\"echo\"], \"expires_in\": 3600}");
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

    @Test
    void shouldRefuseInvalidDefinitionsNamingTheFieldAndLine() {
        JsonNode cycle = http.put("/api/workflows/loop", YAML, "steps:\n  a: {task: echo.run, needs: [b]}\n  b: {task: echo.run, needs: [a]}\n",
                HttpDriver.bearer(admin)).assertError(400, "BAD_REQUEST");
        assertTrue(cycle.path("message").asText().contains("cycle: a -> b -> a"), cycle::toString);
        assertTrue(cycle.path("message").asText().contains("line 2"), cycle::toString);
        JsonNode unknown = http.put("/api/workflows/loop", YAML, "steps:\n  a: {task: echo.run}\n  b: {task: echo.run, needs: [c]}\n",
                HttpDriver.bearer(admin)).assertError(400, "BAD_REQUEST");
        assertTrue(unknown.path("message").asText().startsWith("steps.b.needs[0] (line 3): unknown step 'c'"), unknown::toString);
        http.put("/api/workflows/loop", YAML, "steps:\n  a: {task: mail.send}\n", HttpDriver.bearer(admin)).assertError(400, "BAD_REQUEST");
        http.get("/api/workflows/loop", HttpDriver.bearer(admin)).assertError(404, "NOT_FOUND");
    }

    @Test
    void shouldRunStepsInParallelAndShowEveryStepOnAnyInstance() {
        Response defined = http.put("/api/workflows/fan", YAML, """
                steps:
                  start: {task: echo.run, input: {text: "${input.text}"}}
                  left: {task: echo.run, needs: [start], input: {part: "left of ${steps.start.result.text}"}}
                  right: {task: echo.run, needs: [start], input: {part: "right of ${steps.start.result.text}"}}
                  join: {task: echo.run, needs: [left, right], input: {parts: ["${steps.left.result.part}", "${steps.right.result.part}"]}}
                """, HttpDriver.bearer(admin));
        assertEquals(201, defined.statusCode(), defined::toString);
        assertEquals(1, defined.json().path("version").asInt());

        Response accepted = http.postJson("/__runner/workflow/fan", "{\"input\": {\"text\": \"hi\"}, \"callback_url\": \"https://example.com/hook\"}",
                HttpDriver.bearer(token));
        assertEquals(202, accepted.statusCode(), accepted::toString);
        String runId = accepted.json().path("run_id").asText();
        assertEquals("/__runner/workflows/" + runId, accepted.header("Location"));

        JsonNode run = second.get("/__runner/workflows/" + runId + "?wait=30", HttpDriver.bearer(token)).json();
        assertEquals("succeeded", run.path("status").asText(), run::toString);
        assertEquals("[\"left of hi\",\"right of hi\"]", run.path("steps").get(3).path("result").path("parts").toString());
        for (JsonNode step : run.path("steps")) {
            assertEquals("succeeded", step.path("status").asText(), step::toString);
            assertEquals(1, step.path("attempts").asInt());
            assertNotNull(step.path("started_at").textValue());
            // A step is a real task: policy decided it and a worker ran it, as the audit trail shows.
            // Its id is derived by the coordinator, not bound to its owner by ingress's key, so it is
            // read through the run rather than GET /__runner/tasks/{id}.
            String stepTask = step.path("task_id").asText();
            JsonNode actions = Await.value("the audit records of step task " + stepTask,
                    () -> http.get("/api/audit?task_id=" + stepTask + "&limit=50", HttpDriver.bearer(admin)).json().path("records"),
                    records -> records.toString().contains("policy.decision") && records.toString().contains("task.succeeded"),
                    Duration.ofSeconds(60));
            assertTrue(actions.toString().contains("policy.decision"), actions::toString);
        }
        assertEquals("https://example.com/hook", run.path("callback_url").asText());
    }

    @Test
    void shouldRefuseARunWhenTheTokenDoesNotAllowAStepsTask() {
        http.put("/api/workflows/sleepy", YAML, "steps:\n  nap: {task: sleep.run, input: {ms: 10}}\n", HttpDriver.bearer(admin));
        JsonNode refused = http.postJson("/__runner/workflow/sleepy", "{\"input\": {}}", HttpDriver.bearer(echoOnly))
                .assertError(403, "FORBIDDEN");
        assertTrue(refused.path("message").asText().contains("sleep.run"), refused::toString);
    }

    @Test
    void shouldCancelTheStepsNotYetStarted() {
        http.put("/api/workflows/slow", YAML, "steps:\n  nap: {task: sleep.run, input: {ms: 3000}}\n  after: {task: echo.run, needs: [nap]}\n",
                HttpDriver.bearer(admin));
        String runId = http.postJson("/__runner/workflow/slow", "{}", HttpDriver.bearer(token)).json().path("run_id").asText();
        Await.until("run visible", () -> http.get("/__runner/workflows/" + runId, HttpDriver.bearer(token)).statusCode() == 200, DEADLINE);
        JsonNode cancelled = http.delete("/__runner/workflows/" + runId, HttpDriver.bearer(token)).json();
        assertEquals("cancelled", cancelled.path("status").asText(), cancelled::toString);
        assertEquals("cancelled", cancelled.path("steps").get(1).path("status").asText(), cancelled::toString);
        http.delete("/__runner/workflows/" + runId, HttpDriver.bearer(token)).assertError(409, "CONFLICT");
    }

    @Test
    void shouldReadAWriteOnAnotherInstanceAndRefuseAStaleCompareAndSet() {
        Response written = http.put("/api/state/notes/greeting", JSON, "{\"value\": {\"text\": \"hello\"}}", HttpDriver.bearer(token));
        assertEquals(200, written.statusCode(), written::toString);
        String etag = written.header("ETag");
        assertEquals("hello", http.get("/api/state/notes/greeting", HttpDriver.bearer(token)).json().path("value").path("text").asText(),
                "the writer reads its own write");
        Response elsewhere = Await.value("write visible on the second instance",
                () -> second.get("/api/state/notes/greeting", HttpDriver.bearer(token)), response -> response.statusCode() == 200, DEADLINE);
        assertEquals(etag, elsewhere.header("ETag"));

        Response updated = second.put("/api/state/notes/greeting", JSON, "{\"value\": \"v2\"}", "Authorization", "Bearer " + token,
                "If-Match", etag);
        assertEquals(200, updated.statusCode(), updated::toString);
        http.put("/api/state/notes/greeting", JSON, "{\"value\": \"v3\"}", "Authorization", "Bearer " + token, "If-Match", etag)
                .assertError(412, "PRECONDITION_FAILED");

        JsonNode history = second.get("/api/state/notes/greeting?history=true", HttpDriver.bearer(token)).json();
        assertEquals("v2", history.path("value").asText(), history::toString);
        assertEquals("hello", history.path("history").get(0).path("value").path("text").asText(), history::toString);
        JsonNode listed = http.get("/api/state/notes?prefix=greet", HttpDriver.bearer(token)).json();
        assertEquals("greeting", listed.path("keys").get(0).path("key").asText(), listed::toString);
    }

    @Test
    void shouldCountWorkflowAndStateRequestsByRouteNeverByNameOrKey() {
        second.postJson("/__runner/workflow/invented-flow-name", "{}", HttpDriver.bearer(token)).assertError(404, "NOT_FOUND");
        second.get("/api/state/notes/invented-key-name", HttpDriver.bearer(token)).assertError(404, "NOT_FOUND");

        String metrics = second.get("/metrics").body();

        assertTrue(metrics.contains("route=\"/__runner/workflow/{name}\",status=\"404\""), metrics);
        assertTrue(metrics.contains("route=\"/api/state/{namespace}/{key}\",status=\"404\""), metrics);
        assertFalse(metrics.contains("invented-flow-name") || metrics.contains("invented-key-name"), "a label value came from a path");
        assertFalse(metrics.lines().anyMatch(line -> line.startsWith("gateway_requests_total") && line.contains("workflow")),
                "workflow runs are not task requests");
    }

    @Test
    void shouldRefuseOtherNamespacesOversizedValuesAndForgetExpiredKeys() {
        http.get("/api/state/secrets/x", HttpDriver.bearer(token)).assertError(403, "FORBIDDEN");
        http.put("/api/state/notes/big", JSON, "{\"value\": \"" + "x".repeat(70_000) + "\"}", HttpDriver.bearer(token))
                .assertError(413, "PAYLOAD_TOO_LARGE");
        Response brief = http.put("/api/state/notes/brief", JSON, "{\"value\": 1, \"ttl_s\": 1}", HttpDriver.bearer(token));
        assertEquals(200, brief.statusCode(), brief::toString);
        Await.until("expired key reads 404", () -> http.get("/api/state/notes/brief", HttpDriver.bearer(token)).statusCode() == 404, DEADLINE);
        http.delete("/api/state/notes/brief", HttpDriver.bearer(token)).assertError(404, "NOT_FOUND");
    }

    @Test
    void shouldStoreAStepsResultInStateFromAWorkflow() {
        http.put("/api/workflows/remember", YAML, """
                steps:
                  say: {task: echo.run, input: {summary: "${input.text}"}}
                  save: {task: state.set, needs: [say], input: {namespace: notes, key: summary, value: "${steps.say.result.summary}"}}
                """, HttpDriver.bearer(admin));
        Response ended = http.postJson("/__runner/workflow/remember", "{\"input\": {\"text\": \"short\"}}", "Authorization",
                "Bearer " + token, "Prefer", "wait=30");
        assertEquals(200, ended.statusCode(), ended::toString);
        assertEquals("succeeded", ended.json().path("status").asText(), ended::toString);
        assertEquals("short", http.get("/api/state/notes/summary", HttpDriver.bearer(token)).json().path("value").asText());
    }
}
