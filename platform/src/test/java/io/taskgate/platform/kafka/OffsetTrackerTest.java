package io.taskgate.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
    private static final TopicPartition P0 = new TopicPartition("ready", 0);
    private static final TopicPartition P1 = new TopicPartition("ready", 1);

    private final OffsetTracker tracker = new OffsetTracker();

    @Test
    void shouldCommitOnlyUpToTheOldestUnfinishedTask() {
        long epoch = trackAll(P0, 0, 5);
        tracker.complete(P0, 1, epoch);
        tracker.complete(P0, 2, epoch);
        tracker.complete(P0, 4, epoch);
        assertEquals(0, offsetToCommit(P0), "offset 0 is unfinished, so nothing past it may be committed");

        tracker.complete(P0, 0, epoch);
        assertEquals(3, offsetToCommit(P0), "0..2 are done, 3 is the oldest unfinished");

        tracker.complete(P0, 3, epoch);
        assertEquals(5, offsetToCommit(P0), "all done: the next offset to read");
        assertEquals(0, tracker.unfinished());
    }

    @Test
    void shouldCarryTheTasksFinishedPastTheCommitInItsMetadata() {
        long epoch = trackAll(P0, 10, 20);
        for (long offset : List.of(11L, 12L, 13L, 15L, 19L)) {
            tracker.complete(P0, offset, epoch);
        }

        OffsetAndMetadata commit = tracker.committable().offsets().get(P0);

        assertEquals(10, commit.offset());
        assertEquals("done:v1:1-3,5,9", commit.metadata());
    }

    @Test
    void shouldSkipTasksTheLastOwnerFinishedAndCommitPastThem() {
        tracker.assigned(P0, new OffsetAndMetadata(10, "done:v1:1-3,5"));

        assertFalse(tracker.isFinished(P0, 10), "10 was unfinished when the partition moved");
        assertTrue(tracker.isFinished(P0, 11));
        assertTrue(tracker.isFinished(P0, 15));
        assertFalse(tracker.isFinished(P0, 14));

        long epoch = tracker.track(P0, 10);
        for (long offset = 11; offset < 16; offset++) {
            tracker.track(P0, offset);
        }
        assertEquals(2, tracker.unfinished(), "10 and 14 run; 11..13 and 15 are skipped");
        tracker.complete(P0, 10, epoch);
        assertEquals(new OffsetAndMetadata(14, "done:v1:1"), tracker.committable().offsets().get(P0));
        tracker.complete(P0, 14, epoch);
        assertEquals(new OffsetAndMetadata(16, ""), tracker.committable().offsets().get(P0));
    }

    @Test
    void shouldCommitPastFinishedOffsetsReadBackEvenBeforeTheirRecordsArrive() {
        tracker.assigned(P0, new OffsetAndMetadata(10, "done:v1:1-2"));
        long epoch = tracker.track(P0, 10);
        tracker.complete(P0, 10, epoch);

        assertEquals(13, offsetToCommit(P0), "11 and 12 finished under the last owner");
    }

    @Test
    void shouldNotLetALateCompletionFromAnEarlierAssignmentMoveTheOffset() {
        long first = tracker.track(P0, 10);
        tracker.forget(List.of(P0));
        tracker.assigned(P0, new OffsetAndMetadata(10, ""));
        long second = tracker.track(P0, 10);

        tracker.complete(P0, 10, first);

        assertEquals(1, tracker.unfinished(), "the copy the new assignment runs is still unfinished");
        assertEquals(Map.of(), tracker.committable().offsets(), "nothing moved past offset 10");
        tracker.complete(P0, 10, second);
        assertEquals(11, offsetToCommit(P0));
    }

    @Test
    void shouldTrackPartitionsIndependently() {
        tracker.track(P0, 10);
        long epoch = tracker.track(P1, 20);
        tracker.track(P1, 21);
        tracker.complete(P1, 20, epoch);

        assertEquals(10, offsetToCommit(P0));
        assertEquals(21, offsetToCommit(P1));
        assertEquals(2, tracker.unfinished());
    }

    @Test
    void shouldCommitPastOffsetsWithoutRecordsOnceEverythingIsDone() {
        long epoch = tracker.track(P0, 7);
        tracker.receivedUpTo(P0, 9);
        assertEquals(7, offsetToCommit(P0));

        tracker.complete(P0, 7, epoch);
        assertEquals(9, offsetToCommit(P0), "offset 8 was a transaction marker: nothing left to read below 9");
    }

    @Test
    void shouldOfferOnlyCommitsThatChangedSinceTheLastOne() {
        long epoch0 = tracker.track(P0, 0);
        long epoch1 = tracker.track(P1, 0);
        tracker.complete(P0, 0, epoch0);
        tracker.committed(tracker.committable());

        assertEquals(Map.of(), tracker.committable().offsets());

        tracker.complete(P1, 0, epoch1);
        assertEquals(Map.of(P1, new OffsetAndMetadata(1, "")), tracker.committable().offsets());
    }

    @Test
    void shouldIgnoreACommitTakenUnderAnEarlierAssignment() {
        long epoch = tracker.track(P0, 0);
        tracker.complete(P0, 0, epoch);
        OffsetTracker.Commit stale = tracker.committable();
        tracker.forget(List.of(P0));
        tracker.assigned(P0, new OffsetAndMetadata(0, ""));
        long again = tracker.track(P0, 0);
        tracker.complete(P0, 0, again);

        tracker.committed(stale);

        assertEquals(1, offsetToCommit(P0), "the new assignment has committed nothing yet");
    }

    @Test
    void shouldForgetRevokedPartitionsAndIgnoreTheirLateCompletions() {
        long epoch = tracker.track(P0, 0);
        tracker.track(P1, 0);
        tracker.forget(List.of(P0));

        tracker.complete(P0, 0, epoch);

        assertFalse(tracker.committable().offsets().containsKey(P0));
        assertEquals(1, tracker.unfinished());
    }

    private long trackAll(TopicPartition partition, long from, long to) {
        long epoch = tracker.track(partition, from);
        for (long offset = from + 1; offset < to; offset++) {
            tracker.track(partition, offset);
        }
        return epoch;
    }

    private long offsetToCommit(TopicPartition partition) {
        OffsetAndMetadata offset = tracker.committable().offsets().get(partition);
        assertTrue(offset != null, "an offset is committable for " + partition);
        return offset.offset();
    }
}
