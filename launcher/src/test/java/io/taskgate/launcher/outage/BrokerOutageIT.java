package io.taskgate.launcher.outage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.launcher.dev.DevEnvironment;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.ops.Metrics;
import io.taskgate.testing.Await;
import io.taskgate.testing.HttpDriver;
import io.taskgate.testing.HttpDriver.Response;
import io.taskgate.testing.PrivateKafka;
import io.taskgate.testing.TestKafka;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every service (ingress, policy-stream, a worker, the audit sink) over one broker that goes away
 * and comes back: once it is back, a new task runs end to end and is audited, with no service
 * restarted.
 */
class BrokerOutageIT {
    private static final Duration DEADLINE = Duration.ofSeconds(120);

    @RegisterExtension
    final PrivateKafka kafka = new PrivateKafka();

    @TempDir
    Path dataDir;

    private DevEnvironment dev;

    @AfterEach
    void stopServices() {
        if (dev != null) {
            dev.close();
        }
    }

    @Test
    void shouldRunAndAuditANewTaskEndToEndOnceTheBrokerReturnsWithoutRestartingAnyService() {
        TestKafka broker = kafka.start(List.of("default"));
        dev = DevEnvironment.start(ConfigSource.of(Map.of(
                Setting.KAFKA_BOOTSTRAP, broker.bootstrapServers(),
                Setting.TOPIC_PREFIX, broker.topics().prefix(),
                Setting.DATA_DIR, dataDir.toString(),
                Setting.PORT, "0",
                Setting.AUDIT_PORT, "0")), Metrics.newRegistry("it"), Clock.systemUTC());
        HttpDriver http = new HttpDriver(dev.ingressUrl());
        String admin = dev.adminToken();
        String agent = http.createAgent(admin, "{\"name\": \"outage-bot\", \"tools\": [\"echo\"], \"actions\": [\"run\"]}");
        String token = http.mintToken(admin, agent, "{}");
        awaitAudited(http, admin, runToTheEnd(http, token, "before"));

        kafka.stop();
        Await.until("health to report Kafka down", () -> http.get("/health").statusCode() == 503, DEADLINE);
        http.postTask(token, "echo.run", "{\"input\": \"during\"}").assertError(503, "UNAVAILABLE");

        kafka.restart();
        String after = Await.value("a task run to the end after the broker returned",
                () -> tryRunToTheEnd(http, token), taskId -> taskId != null, DEADLINE);
        awaitAudited(http, admin, after);
    }

    /** Posts a task and waits for it; the task id once it succeeded. */
    private static String runToTheEnd(HttpDriver http, String token, String input) {
        Response answered = http.postTask(token, "echo.run", "{\"input\": \"" + input + "\"}", "Prefer", "wait=30");
        assertEquals(200, answered.statusCode(), answered::toString);
        assertEquals("succeeded", answered.json().path("status").asText(), answered::toString);
        return answered.json().get("task_id").asText();
    }

    private static String tryRunToTheEnd(HttpDriver http, String token) {
        Response answered = http.postTask(token, "echo.run", "{\"input\": \"after\"}", "Prefer", "wait=20");
        if (answered.statusCode() == 202) {
            String taskId = answered.json().get("task_id").asText();
            Response later = Await.value("the accepted task to end", () -> http.getTask(token, taskId, "?wait=20"),
                    response -> response.statusCode() == 200 && isTerminal(response), DEADLINE);
            return "succeeded".equals(later.json().path("status").asText()) ? taskId : null;
        }
        return answered.statusCode() == 200 && "succeeded".equals(answered.json().path("status").asText())
                ? answered.json().get("task_id").asText() : null;
    }

    private static boolean isTerminal(Response response) {
        return Set.of("succeeded", "failed", "rejected", "cancelled").contains(response.json().path("status").asText());
    }

    private static void awaitAudited(HttpDriver http, String admin, String taskId) {
        Await.until("the audit sink stored the task's records", () -> {
            Response response = http.as(admin).get("/api/audit?task_id=" + taskId + "&limit=50");
            if (response.statusCode() != 200) {
                return false;
            }
            Set<String> actions = new HashSet<>();
            for (JsonNode record : response.json().path("records")) {
                actions.add(record.path("type").asText());
            }
            return actions.containsAll(Set.of("task.accepted", "policy.decision", "task.started", "task.succeeded"));
        }, DEADLINE);
    }
}
