package io.taskgate.workers.tools.settings;

import io.taskgate.workers.resilience.ToolPolicy;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The settings of one tool from {@code tools:} in {@code taskgate.yaml}: how many of its tasks one
 * worker runs at once, the timeout of one attempt, how many times a failed attempt is retried, and
 * how long its answers are cached (0: not cached). Unset values keep the tool's defaults.
 */
public record ToolSettings(OptionalInt concurrency, Optional<Duration> timeout, OptionalInt retries, Duration cacheTtl) {
    public static final ToolSettings DEFAULTS = new ToolSettings(OptionalInt.empty(), Optional.empty(), OptionalInt.empty(), Duration.ZERO);

    /** The tool's retry, breaker and timeout policy with these settings over the standard one. */
    public ToolPolicy policy(String tool, Duration defaultTimeout) {
        ToolPolicy policy = ToolPolicy.standard(tool, timeout.orElse(defaultTimeout));
        return retries.isPresent() ? policy.withMaxAttempts(retries.getAsInt() + 1) : policy;
    }

    public boolean cached() {
        return !cacheTtl.isZero();
    }
}
