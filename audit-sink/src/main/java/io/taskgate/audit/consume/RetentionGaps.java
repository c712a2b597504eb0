package io.taskgate.audit.consume;

import io.taskgate.audit.store.AuditWriter;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the sink does when the next offset it expects of a partition is no longer on the topic:
 * the topic's retention deleted records the sink had not read yet (it was down, or fell behind).
 * The consumer never resets on its own ({@code auto.offset.reset=none}), so this is the one place
 * that moves past lost records, and it does so visibly: it chains a gap record naming the lost
 * offsets, counts it in {@code taskgate_audit_gaps_total}, logs an error, and only then reads on
 * from the partition's log start offset.
 */
final class RetentionGaps {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionGaps.class);

    private final Consumer<?, ?> consumer;
    private final AuditWriter store;
    private final String topic;
    private final SinkMetrics metrics;
    private final Clock clock;

    RetentionGaps(Consumer<?, ?> consumer, AuditWriter store, String topic, SinkMetrics metrics, Clock clock) {
        this.consumer = consumer;
        this.store = store;
        this.topic = topic;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Records the gap of each partition whose expected offset is out of range, and positions it
     * after the gap. The gap is stored before the consumer moves, so a failure of the database
     * leaves the partition where it was, to fail the same way on the next poll and be retried.
     *
     * @param expected per partition, the offset the consumer asked for
     * @throws IllegalStateException when an expected offset is past the end of its partition:
     *                               the topic was recreated, or the database belongs to another cluster
     */
    void close(Map<TopicPartition, Long> expected) {
        Set<TopicPartition> partitions = expected.keySet();
        Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        for (Map.Entry<TopicPartition, Long> entry : expected.entrySet()) {
            TopicPartition partition = entry.getKey();
            long next = entry.getValue();
            long start = starts.get(partition);
            if (next > ends.get(partition)) {
                throw new IllegalStateException("the audit database expects offset " + next + " of " + partition
                        + " but the topic ends at " + ends.get(partition) + "; was the topic recreated, or does"
                        + " TASKGATE_AUDIT_JDBC_URL name the database of another cluster?");
            }
            if (next < start) {
                store.appendGap(topic, partition.partition(), next, start, clock.instant());
                metrics.gap(start - next);
                LOG.error("audit records at offsets {} to {} of {} were deleted from the topic before the sink read them;"
                        + " a gap record now stands for them in the chain", next, start - 1, partition);
                consumer.seek(partition, start);
            }
        }
    }
}
