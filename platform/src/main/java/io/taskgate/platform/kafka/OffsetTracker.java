package io.taskgate.platform.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets may be committed while tasks finish out of order. Per partition the committed
 * offset is the oldest task still unfinished, so a crash re-delivers every unfinished task and
 * never skips one; the tasks finished beyond it travel in the commit's metadata
 * ({@link FinishedOffsets}), so whoever owns the partition next skips them rather than running
 * them again.
 *
 * <p>Each assignment of a partition has its own epoch. A task started under an earlier assignment
 * may end after the partition was revoked and assigned again; its completion names the old epoch
 * and is ignored, so it can never clear the offset of the copy the new assignment is running.
 * Used by the poll thread only.
 */
public final class OffsetTracker {
    private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();
    private long lastEpoch;

    /** Offsets to commit and the assignments they were taken from. */
    public record Commit(Map<TopicPartition, OffsetAndMetadata> offsets, Map<TopicPartition, Long> epochs) {
        public boolean isEmpty() {
            return offsets.isEmpty();
        }
    }

    /**
     * The partition was assigned, its group having committed {@code committed} (null when nothing
     * was); the tasks finished past that commit are read from its metadata. Starts a new epoch.
     */
    public void assigned(TopicPartition partition, OffsetAndMetadata committed) {
        PartitionState state = new PartitionState(++lastEpoch);
        if (committed != null) {
            state.received = committed.offset();
            state.committed = committed.offset();
            state.committedMetadata = committed.metadata() == null ? "" : committed.metadata();
            state.finished.addAll(FinishedOffsets.decode(committed.offset(), committed.metadata()));
        }
        partitions.put(partition, state);
    }

    /** Whether the task at this offset already finished, under this or an earlier owner: skip it. */
    public boolean isFinished(TopicPartition partition, long offset) {
        PartitionState state = partitions.get(partition);
        return state != null && state.finished.contains(offset);
    }

    /**
     * A record was received; its task is unfinished until {@link #complete}. Returns the epoch its
     * completion must name.
     */
    public long track(TopicPartition partition, long offset) {
        PartitionState state = partitions.computeIfAbsent(partition, p -> new PartitionState(++lastEpoch));
        if (!state.finished.contains(offset)) {
            state.unfinished.add(offset);
        }
        state.received = Math.max(state.received, offset + 1);
        return state.epoch;
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

    /**
     * The task at this offset is done. Ignored when the partition is no longer tracked, or was
     * assigned again since the task started (another epoch).
     */
    public void complete(TopicPartition partition, long offset, long epoch) {
        PartitionState state = partitions.get(partition);
        if (state != null && state.epoch == epoch && state.unfinished.remove(offset)) {
            state.finished.add(offset);
        }
    }

    /**
     * What to commit now: for each partition whose commit would change, the oldest unfinished
     * offset, with the offsets finished beyond it as metadata.
     */
    public Commit committable() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Map<TopicPartition, Long> epochs = new HashMap<>();
        partitions.forEach((partition, state) -> {
            long next = state.nextToCommit();
            if (next < 0) {
                return;
            }
            state.finished.headSet(next, false).clear();
            String metadata = FinishedOffsets.encode(next, state.finished);
            if (next != state.committed || !metadata.equals(state.committedMetadata)) {
                offsets.put(partition, new OffsetAndMetadata(next, metadata));
                epochs.put(partition, state.epoch);
            }
        });
        return new Commit(offsets, epochs);
    }

    /** The commit succeeded. Partitions assigned again since it was taken keep their own record. */
    public void committed(Commit commit) {
        commit.offsets().forEach((partition, offset) -> {
            PartitionState state = partitions.get(partition);
            if (state != null && state.epoch == commit.epochs().get(partition) && offset.offset() >= state.committed) {
                state.committed = offset.offset();
                state.committedMetadata = offset.metadata();
            }
        });
    }

    /** The part of this commit that concerns these partitions. */
    public Commit only(Commit commit, Collection<TopicPartition> wanted) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(commit.offsets());
        offsets.keySet().retainAll(wanted);
        Map<TopicPartition, Long> epochs = new HashMap<>(commit.epochs());
        epochs.keySet().retainAll(wanted);
        return new Commit(offsets, epochs);
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
        private final long epoch;
        private final NavigableSet<Long> unfinished = new TreeSet<>();
        /** Finished offsets at or past the oldest unfinished one; those below it are committed. */
        private final NavigableSet<Long> finished = new TreeSet<>();
        private long received = -1;
        private long committed = -1;
        private String committedMetadata = "";

        PartitionState(long epoch) {
            this.epoch = epoch;
        }

        long nextToCommit() {
            if (!unfinished.isEmpty()) {
                return unfinished.first();
            }
            // Finished offsets read back from the last commit may lie beyond what was received so far.
            long next = received;
            while (finished.contains(next)) {
                next++;
            }
            return next;
        }
    }
}
