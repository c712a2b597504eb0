package io.taskgate.ingress.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.testing.MutableClock;
import io.taskgate.schemas.policy.RateLimit;
import java.net.InetAddress;
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
    void shouldKeepLimitingNewClientsWhenItTracksAsManyAsItMay() {
        PerIpRateLimiter small = new PerIpRateLimiter(clock, 100);
        for (int i = 0; i < 1_000; i++) {
            small.acquire("10.1." + (i / 250) + "." + (i % 250), THREE_PER_MINUTE);
        }

        for (int i = 0; i < 3; i++) {
            assertTrue(small.acquire("10.9.9.9", THREE_PER_MINUTE).allowed());
        }
        assertFalse(small.acquire("10.9.9.9", THREE_PER_MINUTE).allowed(), "a newcomer is limited like anyone");
        assertTrue(small.trackedClients() <= 100, "bounded: " + small.trackedClients());
    }

    @Test
    void shouldKeepAFloodingClientLimitedWhileOneOffAddressesPourIn() {
        PerIpRateLimiter small = new PerIpRateLimiter(clock, 100);
        for (int i = 0; i < 3; i++) {
            small.acquire("10.9.9.9", THREE_PER_MINUTE);
        }

        int letThrough = 0;
        for (int i = 0; i < 10_000; i++) {
            small.acquire("10.1." + (i / 250) + "." + (i % 250), THREE_PER_MINUTE);
            if (i % 10 == 0 && small.acquire("10.9.9.9", THREE_PER_MINUTE).allowed()) {
                letThrough++;
            }
        }

        assertEquals(0, letThrough, "the flooding client kept its empty bucket");
    }

    @Test
    void shouldLimitAnIpv6ClientPerSlash64() throws Exception {
        for (int i = 1; i <= 3; i++) {
            assertTrue(limiter.acquire(InetAddress.getByName("2001:db8:1:2::" + i), THREE_PER_MINUTE).allowed());
        }

        assertFalse(limiter.acquire(InetAddress.getByName("2001:db8:1:2:ffff::1"), THREE_PER_MINUTE).allowed());
        assertTrue(limiter.acquire(InetAddress.getByName("2001:db8:1:3::1"), THREE_PER_MINUTE).allowed());
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
