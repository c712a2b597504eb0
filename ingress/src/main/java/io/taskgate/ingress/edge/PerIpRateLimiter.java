package io.taskgate.ingress.edge;

import io.taskgate.schemas.policy.RateLimit;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The flood limit of one ingress instance: a token bucket per client address holding up to
 * {@code limit} requests and refilling at {@code limit / window}. It is per instance on purpose:
 * it protects this process and needs no coordination; fair per-agent limits are policy-stream's.
 * Buckets that have refilled completely are forgotten, so memory follows the active clients.
 */
public final class PerIpRateLimiter {
    private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(10);

    /** Whether a request may pass, and if not, how long until one would. */
    public record Decision(boolean allowed, Duration retryAfter) {
        static final Decision ALLOW = new Decision(true, Duration.ZERO);

        public long retryAfterSeconds() {
            return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        }
    }

    private final Clock clock;
    private final int maxClients;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep;

    public PerIpRateLimiter(Clock clock, int maxClients) {
        this.clock = clock;
        this.maxClients = maxClients;
        this.lastSweep = new AtomicLong(clock.millis());
    }

    public Decision acquire(String client, RateLimit limit) {
        long now = clock.millis();
        sweepIfDue(now);
        if (buckets.size() >= maxClients && !buckets.containsKey(client)) {
            return Decision.ALLOW;
        }
        Decision[] decision = new Decision[1];
        buckets.compute(client, (key, bucket) -> {
            Bucket current = bucket == null || !bucket.limit.equals(limit) ? new Bucket(limit, now) : bucket;
            decision[0] = current.take(now);
            return current;
        });
        return decision[0];
    }

    int trackedClients() {
        return buckets.size();
    }

    private void sweepIfDue(long now) {
        long last = lastSweep.get();
        boolean crowded = buckets.size() >= maxClients;
        long interval = crowded ? 1_000 : SWEEP_INTERVAL.toMillis();
        if (now - last < interval || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        buckets.entrySet().removeIf(entry -> entry.getValue().fullAt(now));
    }

    private static final class Bucket {
        private final RateLimit limit;
        private final double perMilli;
        private double tokens;
        private long updated;

        Bucket(RateLimit limit, long now) {
            this.limit = limit;
            this.perMilli = (double) limit.limit() / Math.max(1, limit.window().toMillis());
            this.tokens = limit.limit();
            this.updated = now;
        }

        synchronized Decision take(long now) {
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                return Decision.ALLOW;
            }
            long waitMillis = (long) Math.ceil((1 - tokens) / perMilli);
            return new Decision(false, Duration.ofMillis(waitMillis));
        }

        synchronized boolean fullAt(long now) {
            refill(now);
            return tokens >= limit.limit();
        }

        private void refill(long now) {
            if (now > updated) {
                tokens = Math.min(limit.limit(), tokens + (now - updated) * perMilli);
                updated = now;
            }
        }
    }
}
