package io.taskgate.policy.pools;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskgate.policy.decision.Decision;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;

/**
 * The last check before an allowed task is written to its pool: a pool whose ready topic cannot
 * take tasks fails only its own tasks, each rejected with an error naming the pool (and so audited
 * and counted in {@code taskgate_policy_pool_unavailable_total}), while every other pool keeps flowing.
 * Writing to a missing topic instead would block the stream thread and then stop every decision.
 */
public final class PoolGate {
    /** The caller may retry once the topic is there; creation is retried in the background. */
    static final long RETRY_AFTER_S = 30;

    private final PoolAvailability pools;
    private final MeterRegistry metrics;

    public PoolGate(PoolAvailability pools, MeterRegistry metrics) {
        this.pools = pools;
        this.metrics = metrics;
    }

    /** The decision as it stands, or for an allowed task whose pool cannot take it, its rejection. */
    public Decision check(Decision decision) {
        if (!decision.allowed()) {
            return decision;
        }
        return pools.unavailable(decision.pool())
                .map(reason -> {
                    unavailable(decision.pool()).increment();
                    return decision.poolUnavailable(ErrorDetail.retryable(ErrorCode.UNAVAILABLE,
                            "pool '" + decision.pool() + "' cannot take tasks: " + reason, RETRY_AFTER_S));
                })
                .orElse(decision);
    }

    private Counter unavailable(String pool) {
        return Counter.builder("taskgate_policy_pool_unavailable")
                .description("tasks rejected because their pool's ready topic could not be created")
                .tag("pool", pool)
                .register(metrics);
    }
}
