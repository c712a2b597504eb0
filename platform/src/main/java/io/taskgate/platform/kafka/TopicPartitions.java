package io.taskgate.platform.kafka;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/** The partitions of a topic as the cluster reports them, for consumers that assign rather than join a group. */
public final class TopicPartitions {

    private TopicPartitions() {
    }

    public static List<TopicPartition> of(Consumer<?, ?> consumer, String topic, Duration timeout) {
        return consumer.partitionsFor(topic, timeout).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
    }

    /** Assigns every partition of {@code topic} to {@code consumer}, each at its beginning; returns them. */
    public static List<TopicPartition> assignFromStart(Consumer<?, ?> consumer, String topic, Duration timeout) {
        List<TopicPartition> partitions = of(consumer, topic, timeout);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return partitions;
    }
}
