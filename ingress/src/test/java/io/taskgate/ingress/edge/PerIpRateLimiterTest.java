package io.taskgate.ingress.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.ingress.testing.MutableClock;
import io.taskgate.schemas.policy.RateLimit;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PerIpRateLimiterTest {
    private static final RateLimit THREE_PER_MINUTE = new RateLimit(3, Duration.ofMinutes(1));

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final PerIpRateLimiter limiter = new PerIpRateLimiter(clock, 1000);

    @Test
    void shouldAllowUpToTheLimitThenRefuseWithWhenToRetry() {
        for (int i = 0; i < 3; i++) {
            assertTrue(limiter.acquire("10.0.0.1", THREE_PER_MINUTE).allowed());
        }

        PerIpRateLimiter.Decision refused = limiter.acquire("10.0.0.1", THREE_PER_MINUTE);

        assertFalse(refused.allowed());
        assertEquals(20, refused.retryAfterSeconds());
    }

    @Test
    void shouldCountEachClientApart() {
        for (int i = 0; i < 3; i++) {
            limiter.acquire("10.0.0.1", THREE_PER_MINUTE);
        }

        assertFalse(limiter.acquire("10.0.0.1", THREE_PER_MINUTE).allowed());
        assertTrue(limiter.acquire("10.0.0.2", THREE_PER_MINUTE).allowed());
    }

    @Test
    void shouldRefillOverTheWindow() {
        for (int i = 0; i < 3; i++) {
            limiter.acquire("10.0.0.1", THREE_PER_MINUTE);
        }

        clock.advance(Duration.ofSeconds(19));
        assertFalse(limiter.acquire("10.0.0.1", THREE_PER_MINUTE).allowed());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(limiter.acquire("10.0.0.1", THREE_PER_MINUTE).allowed());
        assertFalse(limiter.acquire("10.0.0.1", THREE_PER_MINUTE).allowed());
    }

    @Test
    void shouldApplyANewLimitAtOnce() {
        for (int i = 0; i < 3; i++) {
            limiter.acquire("10.0.0.1", THREE_PER_MINUTE);
        }

        assertTrue(limiter.acquire("10.0.0.1", new RateLimit(10, Duration.ofMinutes(1))).allowed());
    }

    @Test
    void shouldForgetClientsWhoseBucketRefilled() {
        limiter.acquire("10.0.0.1", THREE_PER_MINUTE);
        limiter.acquire("10.0.0.2", THREE_PER_MINUTE);
        assertEquals(2, limiter.trackedClients());

        clock.advance(Duration.ofMinutes(2));
        limiter.acquire("10.0.0.3", THREE_PER_MINUTE);

        assertEquals(1, limiter.trackedClients());
    }
}
