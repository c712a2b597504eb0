package io.taskgate.schemas.topics;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * One topic, declared once: its full name, how many partitions it is created with, whether it is
 * compacted, and the serdes of its key and value. Every module reads and writes through these.
 */
public record TopicSpec<K, V>(String name, int partitions, Cleanup cleanup, Serde<K> keySerde, Serde<V> valueSerde) {

    public enum Cleanup {
        DELETE("delete"),
        COMPACT("compact");

        private final String kafkaValue;

        Cleanup(String kafkaValue) {
            this.kafkaValue = kafkaValue;
        }

        public String kafkaValue() {
            return kafkaValue;
        }
    }

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cleanup, "cleanup");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1 for " + name);
        }
    }

    /** Topic-level configs to create the topic with; the record size limit is {@link MessageLimits}'. */
    public Map<String, String> configs() {
        return Map.of("cleanup.policy", cleanup.kafkaValue(),
                "max.message.bytes", Integer.toString(MessageLimits.MAX_RECORD_BYTES));
    }
}
