package io.taskgate.audit.consume;

import io.taskgate.audit.store.AuditWriter;
import io.taskgate.audit.store.AuditStoreException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Positions the consumer from the offsets kept in the audit database, not from Kafka's committed
 * ones: the database commits its records and offsets together, so reading on from there neither
 * repeats nor skips a record. A partition the database has no offset for is read from offset 0:
 * when the topic no longer holds that offset, the records before its log start were lost to
 * retention before this database saw them, and {@link RetentionGaps} says so in the chain.
 * Until the database answers, newly assigned partitions stay paused, so nothing is read from a
 * guessed position. Runs on the consumer's thread only, as Kafka calls it from {@code poll}.
 */
final class StoredOffsets implements ConsumerRebalanceListener {
    private static final Logger LOG = LoggerFactory.getLogger(StoredOffsets.class);

    private final Consumer<?, ?> consumer;
    private final AuditWriter store;
    private final String topic;
    private final Set<TopicPartition> unpositioned = new HashSet<>();
    private volatile boolean assigned;
    private volatile boolean positioned;

    StoredOffsets(Consumer<?, ?> consumer, AuditWriter store, String topic) {
        this.consumer = consumer;
        this.store = store;
        this.topic = topic;
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        assigned = true;
        consumer.pause(partitions);
        unpositioned.addAll(partitions);
        positionFromStore();
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        forget(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        forget(partitions);
    }

    private void forget(Collection<TopicPartition> partitions) {
        unpositioned.removeAll(partitions);
        positioned = unpositioned.isEmpty();
    }

    /** Seeks every assigned partition not yet positioned; leaves them paused if the database does not answer. */
    void positionFromStore() {
        if (unpositioned.isEmpty()) {
            positioned = true;
            return;
        }
        Map<Integer, Long> stored;
        try {
            stored = store.nextOffsets(topic);
        } catch (AuditStoreException e) {
            positioned = false;
            LOG.warn("cannot read stored audit offsets, partitions {} stay paused: {}", unpositioned, e.getMessage());
            return;
        }
        for (TopicPartition partition : unpositioned) {
            consumer.seek(partition, stored.getOrDefault(partition.partition(), 0L));
        }
        consumer.resume(unpositioned);
        unpositioned.clear();
        positioned = true;
    }

    /** True once partitions were assigned and all of them are positioned from the database. */
    boolean settled() {
        return assigned && positioned;
    }
}
