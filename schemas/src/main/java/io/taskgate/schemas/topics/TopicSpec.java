package io.taskgate.schemas.topics;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * One topic, declared once: its full name, how many partitions it is created with, whether it is
 * compacted, how long Kafka keeps its records ({@code retention} null: the broker's default), and
 * the serdes of its key and value. Every module reads and writes through these.
 */
public record TopicSpec<K, V>(String name, int partitions, Cleanup cleanup, Duration retention, Serde<K> keySerde,
                              Serde<V> valueSerde) {

    public enum Cleanup {
        DELETE("delete"),
        COMPACT("compact"),
        /** Compacted, and records older than the retention are deleted too: state that expires. */
        COMPACT_DELETE("compact,delete");

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

    public TopicSpec(String name, int partitions, Cleanup cleanup, Serde<K> keySerde, Serde<V> valueSerde) {
        this(name, partitions, cleanup, null, keySerde, valueSerde);
    }

    /** Topic-level configs to create the topic with; the record size limit is {@link MessageLimits}'. */
    public Map<String, String> configs() {
        String maxMessageBytes = Integer.toString(MessageLimits.MAX_RECORD_BYTES);
        if (retention == null) {
            return Map.of("cleanup.policy", cleanup.kafkaValue(), "max.message.bytes", maxMessageBytes);
        }
        return Map.of("cleanup.policy", cleanup.kafkaValue(), "max.message.bytes", maxMessageBytes,
                "retention.ms", Long.toString(retention.toMillis()));
    }
}
