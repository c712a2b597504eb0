package io.taskgate.policy.pools;

import java.util.Optional;

/** Whether a pool's ready topic can take tasks. */
@FunctionalInterface
public interface PoolAvailability {

    /** Empty when tasks may be written to the pool's ready topic; otherwise why they may not. */
    Optional<String> unavailable(String pool);
}
