package io.taskgate.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With the broker gone, ingress must answer a task with a 503 and {@code Retry-After} (the task
 * was not accepted, so the caller knows to retry) rather than hang, and say so on {@code /health}.
 */
class KafkaOutageIT {
    private static final String ADMIN_TOKEN = "it-admin-token-" + UUID.randomUUID();

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
    void shouldAnswer503WithRetryAfterWhenTheBrokerIsDown() throws Exception {
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
        ingress = IngressService.start(config, new KafkaClients(config.kafka()), Metrics.newRegistry("it"), Clock.systemUTC());
        Await.until("ingress ready", ingress::isReady, Duration.ofSeconds(30));
        HttpDriver http = new HttpDriver(ingress.port());
        String agent = http.createAgent(ADMIN_TOKEN, "{\"name\": \"outage-bot\", \"tools\": [\"echo\"], \"actions\": [\"run\"]}");
        String token = http.mintToken(ADMIN_TOKEN, agent, "{}");
        assertEquals(202, http.postTask(token, "echo.run", "{\"input\": 1}").statusCode());

        kafka.stop();

        Response refused = http.postTask(token, "echo.run", "{\"input\": 2}");
        refused.assertError(503, "UNAVAILABLE");
        assertNotNull(refused.header("Retry-After"), "Retry-After");
        Await.until("health to report Kafka down", () -> http.get("/health").statusCode() == 503, Duration.ofSeconds(20));
        assertEquals("down", http.get("/health").json().get("kafka").asText());
    }
}
