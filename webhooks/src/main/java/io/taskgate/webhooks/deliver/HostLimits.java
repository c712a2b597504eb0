package io.taskgate.webhooks.deliver;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many attempts are in flight to each receiver host, bounded per host, so a receiver that hangs
 * ties up at most {@code perHost} of the deliverer's slots and never the rest. Hosts with nothing in
 * flight are forgotten, so the map is bounded by the attempts in flight.
 */
final class HostLimits {
    private final int perHost;
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    HostLimits(int perHost) {
        this.perHost = perHost;
    }

    /** Takes a slot for {@code host}; false when it has {@code perHost} attempts in flight already. */
    boolean tryAcquire(String host) {
        boolean[] acquired = {false};
        inFlight.compute(host, (key, count) -> {
            AtomicInteger current = count == null ? new AtomicInteger() : count;
            if (current.get() < perHost) {
                current.incrementAndGet();
                acquired[0] = true;
            }
            return current.get() == 0 ? null : current;
        });
        return acquired[0];
    }

    void release(String host) {
        inFlight.computeIfPresent(host, (key, count) -> count.decrementAndGet() <= 0 ? null : count);
    }
}
