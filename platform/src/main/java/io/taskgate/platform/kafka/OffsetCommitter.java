package io.taskgate.platform.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits what an {@link OffsetTracker} allows: periodically without waiting while polling, and
 * synchronously when partitions are revoked or the consumer stops. A commit is marked in the
 * tracker only once Kafka acknowledged it; a failed one is logged and taken up by the next.
 * Used by the poll thread only, as the consumer it commits through.
 */
public final class OffsetCommitter {
    private static final Logger LOG = LoggerFactory.getLogger(OffsetCommitter.class);

    private final Consumer<?, ?> consumer;
    private final OffsetTracker offsets;
    private final String topic;
    private final String redoneWhenLost;
    private final Duration interval;
    private final LongSupplier nanoTime;
    private long nextCommitNanos;

    /**
     * @param redoneWhenLost what a failed commit means for the records it covered, for the log
     *                       (e.g. "their tasks may run again")
     * @param nanoTime       the clock the interval is measured on ({@code System::nanoTime})
     */
    public OffsetCommitter(Consumer<?, ?> consumer, OffsetTracker offsets, String topic, String redoneWhenLost,
                           Duration interval, LongSupplier nanoTime) {
        this.consumer = consumer;
        this.offsets = offsets;
        this.topic = topic;
        this.redoneWhenLost = redoneWhenLost;
        this.interval = interval;
        this.nanoTime = nanoTime;
        this.nextCommitNanos = nanoTime.getAsLong() + interval.toNanos();
    }

    /** Starts the interval over: the first periodic commit comes one interval from now. */
    public void restartInterval() {
        nextCommitNanos = nanoTime.getAsLong() + interval.toNanos();
    }

    /** Once per interval, commits what changed without waiting for Kafka's answer. */
    public void commitIfDue() {
        long now = nanoTime.getAsLong();
        if (now - nextCommitNanos < 0) {
            return;
        }
        nextCommitNanos = now + interval.toNanos();
        OffsetTracker.Commit due = offsets.committable();
        if (due.isEmpty()) {
            return;
        }
        consumer.commitAsync(due.offsets(), (committed, error) -> {
            if (error == null) {
                offsets.committed(due);
            } else {
                LOG.warn("committing offsets of {} failed, will retry: {}", topic, error.toString());
            }
        });
    }

    /** Commits everything that may be committed now, waiting for Kafka's answer. */
    public void commitNow() {
        commitNow(offsets.committable());
    }

    /** Commits what may be committed of partitions this consumer is giving up, before it forgets them. */
    public void commitRevoked(Collection<TopicPartition> revoked) {
        commitNow(offsets.only(offsets.committable(), Set.copyOf(revoked)));
    }

    /** Commits {@code due}, waiting for Kafka's answer; a failure is logged, not thrown. */
    public void commitNow(OffsetTracker.Commit due) {
        if (due.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(due.offsets());
            offsets.committed(due);
        } catch (KafkaException e) {
            LOG.warn("committing offsets of {} failed; {}: {}", topic, redoneWhenLost, e.toString());
        }
    }

    /**
     * The last commit of a stopping consumer. A rebalance under way refuses it until the consumer
     * has polled its way through, so {@code pollThrough} polls (false when it can no more) and the
     * commit is tried again, for at most {@code within}. Returns false when the rebalance did not
     * end in time; other failures are logged here.
     */
    public boolean commitThroughRebalance(BooleanSupplier pollThrough, Duration within) {
        long deadline = nanoTime.getAsLong() + within.toNanos();
        while (true) {
            OffsetTracker.Commit due = offsets.committable();
            if (due.isEmpty()) {
                return true;
            }
            try {
                consumer.commitSync(due.offsets());
                offsets.committed(due);
                return true;
            } catch (RebalanceInProgressException e) {
                if (deadline - nanoTime.getAsLong() <= 0 || !pollThrough.getAsBoolean()) {
                    return false;
                }
            } catch (KafkaException e) {
                LOG.warn("committing offsets of {} failed; {}: {}", topic, redoneWhenLost, e.toString());
                return true;
            }
        }
    }
}
