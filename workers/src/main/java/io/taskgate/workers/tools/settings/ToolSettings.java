package io.taskgate.workers.tools.settings;

import io.taskgate.workers.resilience.ToolPolicy;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The settings of one tool from {@code tools:} in {@code taskgate.yaml}: how many of its tasks one
 * worker runs at once, the timeout of one attempt, how many times a failed attempt is retried, how
 * long its answers are cached (0: not cached), and how long its circuit stays open before trying
 * the service again. Unset values keep the tool's defaults.
 */
public record ToolSettings(OptionalInt concurrency, Optional<Duration> timeout, OptionalInt retries, Duration cacheTtl,
                           Optional<Duration> breakerOpen) {
    public static final ToolSettings DEFAULTS =
            new ToolSettings(OptionalInt.empty(), Optional.empty(), OptionalInt.empty(), Duration.ZERO, Optional.empty());

    /** The tool's retry, breaker and timeout policy with these settings over the standard one. */
    public ToolPolicy policy(String tool, Duration defaultTimeout) {
        ToolPolicy policy = ToolPolicy.standard(tool, timeout.orElse(defaultTimeout));
        if (retries.isPresent()) {
            policy = policy.withMaxAttempts(retries.getAsInt() + 1);
        }
        if (breakerOpen.isPresent()) {
            policy = policy.withCircuit(policy.slidingWindowSize(), policy.minimumCalls(), breakerOpen.get());
        }
        return policy;
    }

    public boolean cached() {
        return !cacheTtl.isZero();
    }
}
