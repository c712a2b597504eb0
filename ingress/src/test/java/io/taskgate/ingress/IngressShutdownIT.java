package io.taskgate.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.ops.Metrics;
import io.taskgate.testing.Await;
import io.taskgate.testing.HttpDriver;
import io.taskgate.testing.HttpDriver.Response;
import io.taskgate.testing.TestKafka;
import io.taskgate.testing.WithKafka;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Ingress stopping: held requests are answered at once with the task as it is, new tasks are
 * refused with 503 and {@code Retry-After}, and the instance then closes promptly.
 */
@WithKafka
class IngressShutdownIT {
    private static final String ADMIN_TOKEN = "it-admin-token-" + UUID.randomUUID();
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private IngressService ingress;

    @AfterEach
    void stopIngress() {
        if (ingress != null) {
            ingress.close();
        }
    }

    @Test
    void shouldAnswerHeldRequestsAndRefuseNewTasksWhenStopping(TestKafka kafka) throws Exception {
        IngressConfig config = IngressConfig.from(ConfigSource.of(Map.of(
                Setting.KAFKA_BOOTSTRAP, kafka.bootstrapServers(),
                Setting.TOPIC_PREFIX, kafka.topics().prefix(),
                Setting.PORT, "0",
                Setting.ADMIN_TOKEN, ADMIN_TOKEN,
                Setting.TOKEN_HMAC_SECRET, "it-hmac-secret-" + UUID.randomUUID(),
                Setting.STATE_DIR, Files.createTempDirectory("ingress-shutdown").toString())));
        PrometheusMeterRegistry metrics = Metrics.newRegistry("it");
        ingress = IngressService.start(config, new KafkaClients(config.kafka()), metrics, Clock.systemUTC());
        Await.until("ingress ready", ingress::isReady, DEADLINE);
        HttpDriver http = new HttpDriver(ingress.port());
        String agent = http.createAgent(ADMIN_TOKEN, "{\"name\": \"stop-bot\", \"tools\": [\"echo\"], \"actions\": [\"run\"]}");
        String token = http.mintToken(ADMIN_TOKEN, agent, "{}");

        // No policy-stream and no worker run here, so the task stays queued and the request stays held.
        CompletableFuture<Response> held = http.sendAsync("POST", "/__runner/task/echo.run", "application/json",
                "{\"input\": 1}", HttpDriver.bearer(token)[0], HttpDriver.bearer(token)[1], "Prefer", "wait=50");
        Await.until("the request is held", () -> metrics.get("taskgate_ingress_task_waiters").gauge().value() == 1, DEADLINE);

        long stopping = System.nanoTime();
        ingress.stopAccepting();
        Response answered = held.get(10, TimeUnit.SECONDS);
        long answeredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping);

        assertEquals(202, answered.statusCode(), answered::toString);
        assertEquals("queued", answered.json().get("status").asText(), "the held request learns the task was accepted");
        assertTrue(answeredMs < 5_000, "answered at once, not at the end of its 50 s wait: " + answeredMs + " ms");
        Response refused = http.postTask(token, "echo.run", "{\"input\": 2}");
        refused.assertError(503, "UNAVAILABLE");
        assertNotNull(refused.header("Retry-After"));
        assertEquals(200, http.getTask(token, answered.json().get("task_id").asText(), "").statusCode(),
                "reads still answer until the server drains");

        long closing = System.nanoTime();
        ingress.close();
        ingress = null;
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing) < 30_000, "closed promptly");
    }
}
