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
    void shouldCommitOnlyContiguousOffsets() {
        for (long offset = 0; offset < 5; offset++) {
            tracker.track(P0, offset);
        }
        tracker.complete(P0, 1);
        tracker.complete(P0, 2);
        tracker.complete(P0, 4);
        assertEquals(0, offsetToCommit(P0), "offset 0 is unfinished, so nothing past it may be committed");

        tracker.complete(P0, 0);
        assertEquals(3, offsetToCommit(P0), "0..2 are done, 3 is the oldest unfinished");

        tracker.complete(P0, 3);
        assertEquals(5, offsetToCommit(P0), "all done: the next offset to read");
        assertEquals(0, tracker.unfinished());
    }

    @Test
    void shouldTrackPartitionsIndependently() {
        tracker.track(P0, 10);
        tracker.track(P1, 20);
        tracker.track(P1, 21);
        tracker.complete(P1, 20);

        assertEquals(10, offsetToCommit(P0));
        assertEquals(21, offsetToCommit(P1));
        assertEquals(2, tracker.unfinished());
    }

    @Test
    void shouldCommitPastOffsetsWithoutRecordsOnceEverythingIsDone() {
        tracker.track(P0, 7);
        tracker.receivedUpTo(P0, 9);
        assertEquals(7, offsetToCommit(P0));

        tracker.complete(P0, 7);
        assertEquals(9, offsetToCommit(P0), "offset 8 was a transaction marker: nothing left to read below 9");
    }

    @Test
    void shouldOfferOnlyOffsetsThatAdvancedSinceTheLastCommit() {
        tracker.track(P0, 0);
        tracker.track(P1, 0);
        tracker.complete(P0, 0);
        Map<TopicPartition, OffsetAndMetadata> first = tracker.committable();
        tracker.committed(first);

        assertEquals(Map.of(), tracker.committable());

        tracker.complete(P1, 0);
        assertEquals(Map.of(P1, new OffsetAndMetadata(1)), tracker.committable());
    }

    @Test
    void shouldForgetRevokedPartitionsAndIgnoreTheirLateCompletions() {
        tracker.track(P0, 0);
        tracker.track(P1, 0);
        tracker.forget(List.of(P0));

        tracker.complete(P0, 0);

        assertFalse(tracker.committable().containsKey(P0));
        assertEquals(1, tracker.unfinished());
    }

    private long offsetToCommit(TopicPartition partition) {
        OffsetAndMetadata offset = tracker.committable().get(partition);
        assertTrue(offset != null, "an offset is committable for " + partition);
        return offset.offset();
    }
}
