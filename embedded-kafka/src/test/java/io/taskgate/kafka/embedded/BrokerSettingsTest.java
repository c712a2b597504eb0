package io.taskgate.kafka.embedded;

import kafka.server.KafkaConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BrokerSettingsTest {

    @Test
    void everySettingIsAKnownBrokerConfig() {
        // KafkaConfig ignores unknown keys, so a misspelt setting would silently keep its default.
        Set<String> unknown = new TreeSet<>(BrokerSettings.of(Path.of("data"), 9092, 9093, Duration.ofSeconds(1)).keySet());
        unknown.removeAll(KafkaConfig.configDef().names());
        assertEquals(Set.of(), unknown);
    }
}
