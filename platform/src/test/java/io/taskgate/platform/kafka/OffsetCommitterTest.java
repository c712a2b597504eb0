package io.taskgate.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OffsetCommitterTest {
    private static final TopicPartition P0 = new TopicPartition("ready", 0);
    private static final TopicPartition P1 = new TopicPartition("ready", 1);
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    private final FailingConsumer consumer = new FailingConsumer();
    private final OffsetTracker tracker = new OffsetTracker();
    private long now = 1_000L;
    private final OffsetCommitter committer =
            new OffsetCommitter(consumer, tracker, "ready", "their tasks may run again", INTERVAL, () -> now);

    @BeforeEach
    void assignAndFinishTwoRecordsPerPartition() {
        consumer.assign(List.of(P0, P1));
        for (TopicPartition partition : List.of(P0, P1)) {
            tracker.assigned(partition, null);
            long epoch = tracker.track(partition, 0);
            tracker.track(partition, 1);
            tracker.complete(partition, 0, epoch);
            tracker.complete(partition, 1, epoch);
        }
    }

    @Test
    void shouldCommitPeriodicallyOnlyOnceTheIntervalHasPassed() {
        committer.commitIfDue();
        assertNull(committedOffset(P0), "the interval has not passed yet");

        now += INTERVAL.toNanos();
        committer.commitIfDue();

        assertEquals(2, committedOffset(P0));
        assertEquals(2, committedOffset(P1));
        assertTrue(tracker.committable().isEmpty(), "an acknowledged commit is marked in the tracker");
    }

    @Test
    void shouldStartTheIntervalOverWhenRestarted() {
        now += INTERVAL.toNanos() - 1;
        committer.restartInterval();
        now += 1;

        committer.commitIfDue();

        assertNull(committedOffset(P0), "the interval counts from the restart");
    }

    @Test
    void shouldKeepOffsetsToCommitWhenAnAsyncCommitFails() {
        consumer.failures.add(new KafkaException("broker away"));
        now += INTERVAL.toNanos();

        committer.commitIfDue();

        assertNull(committedOffset(P0));
        assertFalse(tracker.committable().isEmpty(), "a failed commit is retried by the next one");
    }

    @Test
    void shouldCommitOnlyTheRevokedPartitions() {
        committer.commitRevoked(Set.of(P1));

        assertNull(committedOffset(P0));
        assertEquals(2, committedOffset(P1));
        assertEquals(Set.of(P0), tracker.committable().offsets().keySet());
    }

    @Test
    void shouldLogAndKeepOffsetsWhenASyncCommitFails() {
        consumer.failures.add(new KafkaException("broker away"));

        committer.commitNow();

        assertNull(committedOffset(P0));
        assertEquals(Set.of(P0, P1), tracker.committable().offsets().keySet());
    }

    @Test
    void shouldPollThroughARebalanceAndCommitAfterIt() {
        consumer.failures.add(new RebalanceInProgressException());
        AtomicInteger polls = new AtomicInteger();

        boolean done = committer.commitThroughRebalance(() -> polls.incrementAndGet() > 0, Duration.ofSeconds(5));

        assertTrue(done);
        assertEquals(1, polls.get());
        assertEquals(2, committedOffset(P0));
        assertTrue(tracker.committable().isEmpty());
    }

    @Test
    void shouldGiveUpWhenTheConsumerCannotPollThroughTheRebalance() {
        consumer.failures.add(new RebalanceInProgressException());

        boolean done = committer.commitThroughRebalance(() -> false, Duration.ofSeconds(5));

        assertFalse(done);
        assertNull(committedOffset(P0));
    }

    @Test
    void shouldGiveUpWhenTheRebalanceOutlastsTheDeadline() {
        consumer.failures.add(new RebalanceInProgressException());
        consumer.failures.add(new RebalanceInProgressException());
        AtomicInteger polls = new AtomicInteger();

        boolean done = committer.commitThroughRebalance(() -> {
            polls.incrementAndGet();
            now += Duration.ofSeconds(5).toNanos();
            return true;
        }, Duration.ofSeconds(5));

        assertFalse(done);
        assertEquals(1, polls.get());
        assertNull(committedOffset(P0));
    }

    private Long committedOffset(TopicPartition partition) {
        OffsetAndMetadata committed = consumer.committed(Set.of(partition)).get(partition);
        return committed == null ? null : committed.offset();
    }

    /** A MockConsumer whose next commits fail with the queued exceptions. */
    private static final class FailingConsumer extends MockConsumer<byte[], byte[]> {
        final Deque<KafkaException> failures = new ArrayDeque<>();

        FailingConsumer() {
            super("earliest");
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            KafkaException failure = failures.poll();
            if (failure != null) {
                throw failure;
            }
            super.commitSync(offsets);
        }

        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
            KafkaException failure = failures.poll();
            if (failure != null) {
                callback.onComplete(offsets, failure);
                return;
            }
            super.commitAsync(offsets, callback);
        }
    }
}
