package io.taskgate.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.launcher.dev.DevEnvironment;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
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
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The walkthrough against the official {@code apache/kafka} image, the broker docker-compose.yml
 * runs, through Testcontainers. Where no Docker engine exists (the development and CI machines)
 * the class is reported as skipped ("disabledWithoutDocker"): it never passes without running.
 */
@Testcontainers(disabledWithoutDocker = true)
class ApacheKafkaImageIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.1");

    @TempDir
    static Path dataDir;

    static DevEnvironment dev;

    @BeforeAll
    static void startEveryServiceAgainstTheContainer() {
        ConfigSource config = ConfigSource.of(Map.of(
                Setting.KAFKA_BOOTSTRAP, KAFKA.getBootstrapServers(),
                Setting.DATA_DIR, dataDir.toString(),
                Setting.PORT, "0",
                Setting.AUDIT_PORT, "0"));
        dev = DevEnvironment.start(config, Metrics.newRegistry("test"), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        if (dev != null) {
            dev.close();
        }
    }

    @Test
    void shouldRunTheWalkthroughOnTheOfficialKafkaImage() {
        HttpDriver http = new HttpDriver(dev.ingressUrl());
        String admin = dev.adminToken();
        String agentId = http.createAgent(admin, "{\"name\": \"image-bot\", \"tools\": [\"echo\"], \"actions\": [\"*\"]}");
        String token = http.mintToken(admin, agentId, "{\"tools\": [\"echo\"], \"actions\": [\"*\"], \"expires_in\": 3600}");
        Response accepted = http.postTask(token, "echo.run", "{\"input\": {\"msg\": \"apache/kafka\"}}");
        assertEquals(202, accepted.statusCode(), accepted::toString);
        String taskId = accepted.json().get("task_id").asText();
        JsonNode done = Await.value("the task to succeed", () -> http.getTask(token, taskId, "?wait=10"),
                response -> "succeeded".equals(response.json().path("status").asText()), DEADLINE).json();
        assertEquals("apache/kafka", done.path("result").path("msg").asText());
    }
}
