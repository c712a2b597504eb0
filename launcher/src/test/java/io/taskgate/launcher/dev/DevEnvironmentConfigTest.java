package io.taskgate.launcher.dev;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.ops.Metrics;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevEnvironmentConfigTest {
    @TempDir
    Path dir;

    @Test
    void shouldRefuseSecuredClientPropertiesWithoutABootstrapRatherThanTalkSaslToThePlaintextBroker() {
        ConfigSource config = ConfigSource.load(Map.of(
                "TASKGATE_DATA_DIR", dir.toString(),
                "TASKGATE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "TASKGATE_KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p4ss\";"));
        ConfigException error = assertThrows(ConfigException.class,
                () -> DevEnvironment.start(config, Metrics.newRegistry("test"), Clock.systemUTC()));
        assertTrue(error.getMessage().startsWith("TASKGATE_KAFKA_BOOTSTRAP: is required with Kafka client properties"), error.getMessage());
        assertFalse(error.getMessage().contains("p4ss"), error.getMessage());
    }
}
