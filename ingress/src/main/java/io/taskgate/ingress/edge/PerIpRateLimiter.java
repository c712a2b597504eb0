package io.taskgate.ingress.edge;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.taskgate.schemas.policy.ClientNetwork;
import io.taskgate.schemas.policy.RateLimit;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The flood limit of one ingress instance: a token bucket per client network (an IPv4 address, an
 * IPv6 /64) holding up to {@code limit} requests and refilling at {@code limit / window}. It is per
 * instance on purpose: it protects this process and needs no coordination; fair per-agent limits
 * are policy-stream's.
 *
 * <p>Memory is bounded by {@code maxClients} buckets in a Caffeine cache. A bucket untouched for a
 * whole window has refilled completely, so it expires then and forgetting it changes nothing.
 * Past the bound Caffeine evicts by frequency (W-TinyLFU): a flood of one-off addresses mostly
 * displaces itself, not the busy clients being limited. Every request, tracked before or not, gets
 * a bucket: the limiter never lets a request through for lack of room.
 */
public final class PerIpRateLimiter {

    /** Whether a request may pass, and if not, how long until one would. */
    public record Decision(boolean allowed, Duration retryAfter, long remaining) {
        public long retryAfterSeconds() {
            return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        }
    }

    private final Clock clock;
    private final Cache<String, Bucket> buckets;

    public PerIpRateLimiter(Clock clock, int maxClients) {
        this.clock = clock;
        this.buckets = Caffeine.newBuilder()
                .maximumSize(maxClients)
                .expireAfter(new UntilRefilled())
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                // Eviction runs on the requesting thread, so under a flood it keeps pace with the flood.
                .executor(Runnable::run)
                .build();
    }

    public Decision acquire(InetAddress client, RateLimit limit) {
        return acquire(ClientNetwork.of(client), limit);
    }

    /** Counts one request of {@code clientNetwork} (as {@link ClientNetwork} names it). */
    public Decision acquire(String clientNetwork, RateLimit limit) {
        long now = clock.millis();
        Decision[] decision = new Decision[1];
        buckets.asMap().compute(clientNetwork, (key, bucket) -> {
            Bucket current = bucket == null || !bucket.limit.equals(limit) ? new Bucket(limit, now) : bucket;
            decision[0] = current.take(now);
            return current;
        });
        return decision[0];
    }

    int trackedClients() {
        buckets.cleanUp();
        return (int) buckets.estimatedSize();
    }

    /** A bucket left alone for its window is full again, and can be forgotten. */
    private static final class UntilRefilled implements Expiry<String, Bucket> {
        @Override
        public long expireAfterCreate(String key, Bucket bucket, long currentTime) {
            return bucket.limit.window().toNanos();
        }

        @Override
        public long expireAfterUpdate(String key, Bucket bucket, long currentTime, long currentDuration) {
            return bucket.limit.window().toNanos();
        }

        @Override
        public long expireAfterRead(String key, Bucket bucket, long currentTime, long currentDuration) {
            return currentDuration;
        }
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
            if (now > updated) {
                tokens = Math.min(limit.limit(), tokens + (now - updated) * perMilli);
                updated = now;
            }
            if (tokens >= 1) {
                tokens -= 1;
                return new Decision(true, Duration.ZERO, (long) Math.floor(tokens));
            }
            long waitMillis = (long) Math.ceil((1 - tokens) / perMilli);
            return new Decision(false, Duration.ofMillis(waitMillis), 0);
        }
    }
}
