package io.taskgate.policy.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.schemas.policy.RateLimit;
import java.time.Duration;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class SlidingWindowTest {
    private static final long T0 = 1_700_000_000_000L;
    private final RateLimit threePerMinute = new RateLimit(3, Duration.ofMinutes(1));

    @Test
    void shouldAllowUpToTheLimitWithinTheWindow() {
        SlidingWindow window = new SlidingWindow();

        assertEquals(0, window.tryAcquire(threePerMinute, T0));
        assertEquals(0, window.tryAcquire(threePerMinute, T0 + 1_000));
        assertEquals(0, window.tryAcquire(threePerMinute, T0 + 2_000));
        assertEquals(58_000, window.tryAcquire(threePerMinute, T0 + 2_000));
    }

    @Test
    void shouldWaitForAsManyEventsToLeaveAsTheLimitWasLowered() {
        SlidingWindow window = new SlidingWindow();
        for (int i = 0; i < 3; i++) {
            window.tryAcquire(threePerMinute, T0 + i * 10_000L);
        }

        // Under 2/minute two must leave (the second does at T0 + 70 s), under 1/minute all three.
        assertEquals(40_000, window.tryAcquire(new RateLimit(2, Duration.ofMinutes(1)), T0 + 30_000));
        assertEquals(50_000, window.tryAcquire(new RateLimit(1, Duration.ofMinutes(1)), T0 + 30_000));
    }

    @Test
    void shouldNeverLetMoreThanTheLimitIntoAnyWindow() {
        SlidingWindow window = new SlidingWindow();
        RateLimit limit = new RateLimit(5, Duration.ofSeconds(1));
        long[] allowedAt = new long[10_000];
        int allowed = 0;
        for (long t = T0; t < T0 + 10_000; t += 7) {
            if (window.tryAcquire(limit, t) == 0) {
                allowedAt[allowed++] = t;
            }
        }

        int max = (int) limit.limit();
        for (int i = max; i < allowed; i++) {
            assertTrue(allowedAt[i] - allowedAt[i - max] >= 1_000, "six events within one second at " + allowedAt[i]);
        }
        assertTrue(allowed >= 45, "a sliding window of 5/second over 10 s lets about 50 through, got " + allowed);
    }

    @Test
    void shouldKeepAboutSixtySlotsHoweverHighTheLimit() {
        SlidingWindow window = new SlidingWindow();
        RateLimit limit = new RateLimit(1_000_000, Duration.ofMinutes(1));

        for (long t = T0; t < T0 + 180_000; t += 10) {
            window.tryAcquire(limit, t);
        }

        assertTrue(window.slots().size() <= SlidingWindow.SLOTS_PER_WINDOW + 1, "slots: " + window.slots().size());
    }

    @Test
    void shouldCountALateEventInTheNewestSlot() {
        SlidingWindow window = new SlidingWindow();
        window.tryAcquire(threePerMinute, T0 + 5_000);

        window.tryAcquire(threePerMinute, T0);

        assertEquals(1, window.slots().size());
        assertEquals(new SlidingWindow.Slot(T0 + 5_000, 2), window.slots().get(0));
    }

    @Test
    void shouldSurviveTheStoreRoundTrip() {
        SlidingWindow window = new SlidingWindow();
        window.tryAcquire(threePerMinute, T0);
        window.tryAcquire(threePerMinute, T0 + 1_500);

        SlidingWindow read = SlidingWindowSerde.read(SlidingWindowSerde.write(window));

        assertEquals(window.slots(), read.slots());
        assertThrows(SerializationException.class, () -> SlidingWindowSerde.read(new byte[] {1, 0, 0}));
        assertThrows(SerializationException.class, () -> SlidingWindowSerde.read(new byte[] {9}));
    }
}
