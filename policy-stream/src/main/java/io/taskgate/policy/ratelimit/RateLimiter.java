package io.taskgate.policy.ratelimit;

import io.taskgate.schemas.policy.RateLimit;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Sliding-window rate limits over a Streams store, one {@link SlidingWindow} per key. Time is the
 * record's timestamp (the moment ingress accepted the task), so a replay decides as the first run
 * did and tests need no clock.
 */
public final class RateLimiter {
    public static final String STORE = "rate-windows";

    private final KeyValueStore<String, SlidingWindow> windows;

    public RateLimiter(KeyValueStore<String, SlidingWindow> windows) {
        this.windows = windows;
    }

    public static StoreBuilder<KeyValueStore<String, SlidingWindow>> storeBuilder() {
        return storeBuilder(STORE);
    }

    public static StoreBuilder<KeyValueStore<String, SlidingWindow>> storeBuilder(String name) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), new SlidingWindowSerde());
    }

    /**
     * Counts one event for {@code key} at {@code atMillis} if the limit allows it.
     *
     * @return {@link Duration#ZERO} when allowed, otherwise how long until the key has room again
     */
    public Duration tryAcquire(String key, RateLimit limit, long atMillis) {
        SlidingWindow window = windows.get(key);
        if (window == null) {
            window = new SlidingWindow();
        }
        long waitMillis = window.tryAcquire(limit, atMillis);
        if (waitMillis == 0) {
            windows.put(key, window);
        }
        return Duration.ofMillis(waitMillis);
    }
}
