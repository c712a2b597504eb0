package io.taskgate.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class FinishedOffsetsTest {

    @Test
    void shouldRoundTripRunsAndSingleOffsets() {
        NavigableSet<Long> finished = new TreeSet<>(java.util.List.of(101L, 102L, 103L, 107L, 110L, 111L));

        String metadata = FinishedOffsets.encode(100, finished);

        assertEquals("done:v1:1-3,7,10-11", metadata);
        assertEquals(finished, FinishedOffsets.decode(100, metadata));
    }

    @Test
    void shouldWriteNothingWhenNothingFinishedPastTheCommit() {
        assertEquals("", FinishedOffsets.encode(100, new TreeSet<>(java.util.List.of(99L, 100L))));
        assertTrue(FinishedOffsets.decode(100, "").isEmpty());
        assertTrue(FinishedOffsets.decode(100, null).isEmpty());
    }

    @Test
    void shouldLeaveOutTheHighestOffsetsWhenTheMetadataWouldBeTooLong() {
        NavigableSet<Long> finished = new TreeSet<>();
        LongStream.range(0, 5_000).forEach(i -> finished.add(1_000_000 + 2 * i));

        String metadata = FinishedOffsets.encode(999_999, finished);
        NavigableSet<Long> decoded = FinishedOffsets.decode(999_999, metadata);

        assertTrue(metadata.length() <= FinishedOffsets.MAX_CHARS, "fits Kafka's metadata limit: " + metadata.length());
        assertTrue(decoded.size() > 100, "most still travel: " + decoded.size());
        assertEquals(finished.headSet(decoded.last(), true), decoded, "a prefix: only the highest are left out, and run again");
    }

    @Test
    void shouldTreatForeignOrBrokenMetadataAsNothingFinished() {
        assertTrue(FinishedOffsets.decode(100, "someone else's note").isEmpty());
        assertTrue(FinishedOffsets.decode(100, "done:v1:1-x").isEmpty());
        assertTrue(FinishedOffsets.decode(100, "done:v1:0").isEmpty(), "the committed offset itself is never finished");
        assertTrue(FinishedOffsets.decode(100, "done:v1:5-2").isEmpty());
        assertTrue(FinishedOffsets.decode(100, "done:v1:1-99999999999").isEmpty(), "no claim larger than any worker holds");
    }
}
