package io.taskgate.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.ops.Metrics;
import io.taskgate.schemas.topics.Topics;
import io.taskgate.testing.Await;
import io.taskgate.testing.HttpDriver;
import io.taskgate.testing.HttpDriver.Response;
import io.taskgate.testing.PrivateKafka;
import io.taskgate.testing.TestKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With the broker gone, ingress must answer a task with a 503 and {@code Retry-After} (the task
 * was not accepted, so the caller knows to retry) within a second rather than hang, keep its
 * threads bounded, say so on {@code /health}, and take tasks again once the broker is back,
 * without a restart.
 */
class KafkaOutageIT {
    private static final String ADMIN_TOKEN = "it-admin-token-" + UUID.randomUUID();
    /** The contract's bound on a refusal while Kafka is known to be down. */
    private static final long REFUSAL_BOUND_MS = 1_000;
    private static final int CONCURRENT_POSTS = 20;
    private static final String PUBLISH_POOL = "taskgate-ingress-publish";

    /** A broker of its own: this test stops it, which the other classes' shared broker must survive. */
    @RegisterExtension
    final PrivateKafka kafka = new PrivateKafka();

    private IngressService ingress;

    @AfterEach
    void stopIngress() {
        if (ingress != null) {
            ingress.close();
        }
    }

    @Test
    void shouldAnswer503WithRetryAfterWithinASecondWhileTheBrokerIsDownAndRecoverWhenItReturns() throws Exception {
        TestKafka provisioned = kafka.start(List.of(Topics.DEFAULT_POOL));
        Topics topics = provisioned.topics();
        Path stateDir = Files.createTempDirectory("ingress-outage");
        IngressConfig config = IngressConfig.from(ConfigSource.of(Map.of(
                Setting.KAFKA_BOOTSTRAP, provisioned.bootstrapServers(),
                Setting.TOPIC_PREFIX, topics.prefix(),
                Setting.PORT, "0",
                Setting.ADMIN_TOKEN, ADMIN_TOKEN,
                Setting.TOKEN_HMAC_SECRET, "it-hmac-secret-" + UUID.randomUUID(),
                Setting.STATE_DIR, stateDir.toString())));
        PrometheusMeterRegistry metrics = Metrics.newRegistry("it");
        ingress = IngressService.start(config, new KafkaClients(config.kafka()), metrics, Clock.systemUTC());
        Await.until("ingress ready", ingress::isReady, Duration.ofSeconds(30));
        HttpDriver http = new HttpDriver(ingress.port());
        String agent = http.createAgent(ADMIN_TOKEN, "{\"name\": \"outage-bot\", \"tools\": [\"echo\"], \"actions\": [\"run\"]}");
        String token = http.mintToken(ADMIN_TOKEN, agent, "{}");
        assertEquals(202, http.postTask(token, "echo.run", "{\"input\": 1}").statusCode());

        kafka.stop();
        Await.until("health to report Kafka down", () -> http.get("/health").statusCode() == 503, Duration.ofSeconds(20));
        assertEquals("down", http.get("/health").json().get("kafka").asText());

        long started = System.nanoTime();
        Response refused = http.postTask(token, "echo.run", "{\"input\": 2}");
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        refused.assertError(503, "UNAVAILABLE");
        assertNotNull(refused.header("Retry-After"), "Retry-After");
        assertTrue(elapsedMs < REFUSAL_BOUND_MS, "refused in " + elapsedMs + " ms");

        // The first round starts the server's and the client's (bounded) pools; a pile-up would grow with every round.
        refuseConcurrently(http, token, CONCURRENT_POSTS);
        // Other test classes' clients come and go in this JVM, so the count moves a little on its own;
        // a thread per refused request would add one for each of these 120.
        int threadsBefore = Thread.activeCount();
        for (int round = 0; round < 3; round++) {
            refuseConcurrently(http, token, 2 * CONCURRENT_POSTS);
        }
        assertTrue(Thread.activeCount() - threadsBefore < 30, "no thread pile-up: " + threadsBefore + " -> " + Thread.activeCount());
        assertTrue(metrics.get("executor.pool.size").tag("name", PUBLISH_POOL).gauge().value() <= 4, "the publish pool stays at its bound");
        assertEquals(0.0, metrics.get("executor.queued").tag("name", PUBLISH_POOL).gauge().value(), "nothing queues for a broker that is away");

        kafka.restart();
        Await.until("health to report Kafka up again", () -> http.get("/health").json().path("kafka").asText().equals("up"),
                Duration.ofSeconds(60));
        Response accepted = Await.value("a task accepted again, without a restart",
                () -> http.postTask(token, "echo.run", "{\"input\": 4}"), response -> response.statusCode() == 202, Duration.ofSeconds(60));
        assertEquals("queued", accepted.json().get("status").asText());
    }

    /** Sends {@code count} POSTs at once; each must be refused with 503 within the bound. */
    private static void refuseConcurrently(HttpDriver http, String token, int count) throws Exception {
        List<CompletableFuture<Long>> timed = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long sent = System.nanoTime();
            timed.add(http.sendAsync("POST", "/__runner/task/echo.run", "application/json", "{\"input\": 3}", HttpDriver.bearer(token))
                    .thenApply(response -> {
                        response.assertError(503, "UNAVAILABLE");
                        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
                    }));
        }
        for (CompletableFuture<Long> answer : timed) {
            long ms = answer.get(30, TimeUnit.SECONDS);
            assertTrue(ms < REFUSAL_BOUND_MS, "each of " + count + " concurrent POSTs refused within a second: " + ms + " ms");
        }
    }
}
