package io.taskgate.platform.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets may be committed while tasks finish out of order: per partition, up to the oldest
 * task still unfinished, so a crash re-delivers every unfinished task and never skips one. Used
 * by the poll thread only.
 */
public final class OffsetTracker {
    private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();

    /** A record was received; its task is unfinished until {@link #complete}. */
    public void track(TopicPartition partition, long offset) {
        PartitionState state = partitions.computeIfAbsent(partition, p -> new PartitionState());
        state.unfinished.add(offset);
        state.received = Math.max(state.received, offset + 1);
    }

    /**
     * The consumer's position after a poll: everything below it has been received, including
     * offsets that carry no record (transaction markers), which may then be committed past.
     */
    public void receivedUpTo(TopicPartition partition, long position) {
        PartitionState state = partitions.get(partition);
        if (state != null) {
            state.received = Math.max(state.received, position);
        }
    }

    /** The record's task is done. Offsets of partitions no longer tracked are ignored. */
    public void complete(TopicPartition partition, long offset) {
        PartitionState state = partitions.get(partition);
        if (state != null) {
            state.unfinished.remove(offset);
        }
    }

    /** Offsets to commit now: for each partition that advanced since its last commit, the oldest unfinished offset. */
    public Map<TopicPartition, OffsetAndMetadata> committable() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        partitions.forEach((partition, state) -> {
            long next = state.nextToCommit();
            if (next > state.committed) {
                offsets.put(partition, new OffsetAndMetadata(next));
            }
        });
        return offsets;
    }

    /** These offsets were committed. */
    public void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> {
            PartitionState state = partitions.get(partition);
            if (state != null) {
                state.committed = Math.max(state.committed, offset.offset());
            }
        });
    }

    /** Stops tracking partitions this consumer no longer owns. */
    public void forget(Collection<TopicPartition> revoked) {
        revoked.forEach(partitions::remove);
    }

    /** How many received tasks are unfinished. */
    public int unfinished() {
        return partitions.values().stream().mapToInt(state -> state.unfinished.size()).sum();
    }

    private static final class PartitionState {
        private final NavigableSet<Long> unfinished = new TreeSet<>();
        private long received = -1;
        private long committed = -1;

        long nextToCommit() {
            return unfinished.isEmpty() ? received : unfinished.first();
        }
    }
}
