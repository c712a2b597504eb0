package io.taskgate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.KafkaSettings;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.schemas.topics.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up checks that stop the service before it touches Kafka; the broker address is never dialled. */
class PolicyStreamServiceTest {
    private static final KafkaSettings NO_BROKER = new KafkaSettings("127.0.0.1:1", new Topics("test"));

    @TempDir
    Path dir;

    @Test
    void shouldRefuseToStartWithAnInvalidPolicyFileNamingFieldAndLine() throws IOException {
        Path file = Files.writeString(dir.resolve("policy.yaml"), "version: 1\ntasks:\n  echo.*:\n    rate_limit: fast\n");

        ConfigException e = assertThrows(ConfigException.class, () -> start(Optional.of(file)));

        assertEquals("TASKGATE_POLICY_FILE: " + file + ": tasks.echo.*.rate_limit: expected N/unit such as 100/hour, got 'fast' (line 4)",
                e.getMessage());
    }

    @Test
    void shouldRefuseToStartWithAMissingPolicyFile() {
        Path missing = dir.resolve("absent.yaml");

        ConfigException e = assertThrows(ConfigException.class, () -> start(Optional.of(missing)));

        assertTrue(e.getMessage().startsWith("TASKGATE_POLICY_FILE: cannot read " + missing), e.getMessage());
    }

    private void start(Optional<Path> policyFile) {
        PolicyStreamConfig config = new PolicyStreamConfig(NO_BROKER, "test-policy", dir.resolve("state"), policyFile,
                Duration.ofMillis(20));
        PolicyStreamService.start(config, new KafkaClients(NO_BROKER), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                Clock.systemUTC()).close();
    }
}
