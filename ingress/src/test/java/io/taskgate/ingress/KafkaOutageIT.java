package io.taskgate.ingress;

import static io.taskgate.ingress.testing.HttpDriver.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.taskgate.ingress.testing.Await;
import io.taskgate.ingress.testing.HttpDriver;
import io.taskgate.kafka.embedded.EmbeddedKafka;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.kafka.TopicProvisioner;
import io.taskgate.platform.ops.Metrics;
import io.taskgate.schemas.topics.Topics;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With the broker gone, ingress must answer a task with a 503 and {@code Retry-After} (the task
 * was not accepted, so the caller knows to retry) rather than hang, and say so on {@code /health}.
 */
class KafkaOutageIT {
    private static final String ADMIN_TOKEN = "it-admin-token-" + UUID.randomUUID();
    private static final String[] ADMIN = {"Authorization", "Bearer " + ADMIN_TOKEN};

    private EmbeddedKafka kafka;
    private IngressService ingress;

    @AfterEach
    void stop() {
        if (ingress != null) {
            ingress.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenTheBrokerIsDown() throws Exception {
        kafka = EmbeddedKafka.startTemporary();
        Topics topics = new Topics("t" + UUID.randomUUID().toString().replace("-", ""));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicProvisioner(admin, (short) 1).ensure(topics.all(List.of(Topics.DEFAULT_POOL)), Duration.ofSeconds(30));
        }
        Path stateDir = Files.createTempDirectory("ingress-outage");
        IngressConfig config = IngressConfig.from(ConfigSource.of(Map.of(
                Setting.KAFKA_BOOTSTRAP, kafka.bootstrapServers(),
                Setting.TOPIC_PREFIX, topics.prefix(),
                Setting.PORT, "0",
                Setting.ADMIN_TOKEN, ADMIN_TOKEN,
                Setting.TOKEN_HMAC_SECRET, "it-hmac-secret-" + UUID.randomUUID(),
                Setting.STATE_DIR, stateDir.toString())));
        ingress = IngressService.start(config, new KafkaClients(config.kafka()), Metrics.newRegistry("it"), Clock.systemUTC());
        Await.until(Duration.ofSeconds(30), ingress::isReady, "ingress ready");
        HttpDriver http = new HttpDriver(ingress.port());
        String agent = json(http.postJson("/api/agents", "{\"name\": \"outage-bot\", \"tools\": [\"echo\"], \"actions\": [\"run\"]}",
                ADMIN)).get("id").asText();
        String token = json(http.postJson("/api/agents/" + agent + "/tokens", "{}", ADMIN)).get("token").asText();
        assertEquals(202, http.postJson("/__runner/task/echo.run", "{\"input\": 1}", "Authorization", "Bearer " + token).statusCode());

        kafka.close();

        HttpResponse<String> refused = http.postJson("/__runner/task/echo.run", "{\"input\": 2}", "Authorization", "Bearer " + token);
        assertEquals(503, refused.statusCode(), refused.body());
        assertEquals("UNAVAILABLE", json(refused).at("/error/codeName").asText());
        assertNotNull(refused.headers().firstValue("Retry-After").orElse(null), "Retry-After");
        Await.until(Duration.ofSeconds(20), () -> http.get("/health").statusCode() == 503, "health to report Kafka down");
        assertEquals("down", json(http.get("/health")).get("kafka").asText());
    }
}
