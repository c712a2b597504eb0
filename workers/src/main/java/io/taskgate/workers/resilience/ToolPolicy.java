package io.taskgate.workers.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * How one tool is guarded: attempts and backoff, the longest {@code Retry-After} honoured, the
 * timeout of one attempt, and when its circuit opens. Validated once, then immutable.
 */
public record ToolPolicy(
        String tool,
        int maxAttempts,
        Duration initialBackoff,
        double backoffMultiplier,
        double jitter,
        Duration maxBackoff,
        Duration maxRetryAfter,
        Duration attemptTimeout,
        float failureRateThreshold,
        int slidingWindowSize,
        int minimumCalls,
        Duration openDuration) {

    public ToolPolicy {
        Objects.requireNonNull(tool, "tool");
        requirePositive(tool, "initialBackoff", initialBackoff);
        requirePositive(tool, "maxBackoff", maxBackoff);
        requirePositive(tool, "maxRetryAfter", maxRetryAfter);
        requirePositive(tool, "attemptTimeout", attemptTimeout);
        requirePositive(tool, "openDuration", openDuration);
        if (maxAttempts < 1) {
            throw new IllegalArgumentException(tool + ": maxAttempts must be at least 1");
        }
        if (backoffMultiplier < 1) {
            throw new IllegalArgumentException(tool + ": backoffMultiplier must be at least 1");
        }
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException(tool + ": jitter must be in [0, 1)");
        }
        if (failureRateThreshold <= 0 || failureRateThreshold > 100) {
            throw new IllegalArgumentException(tool + ": failureRateThreshold must be in (0, 100]");
        }
        if (minimumCalls < 1 || slidingWindowSize < minimumCalls) {
            throw new IllegalArgumentException(tool + ": need 1 <= minimumCalls <= slidingWindowSize");
        }
    }

    /**
     * Three attempts 200 ms apart and doubling, with 50 % jitter; Retry-After honoured up to 30 s;
     * the circuit opens for 30 s when half of the last 20 calls (at least 10) failed.
     */
    public static ToolPolicy standard(String tool, Duration attemptTimeout) {
        return new ToolPolicy(tool, 3, Duration.ofMillis(200), 2.0, 0.5, Duration.ofSeconds(10),
                Duration.ofSeconds(30), attemptTimeout, 50f, 20, 10, Duration.ofSeconds(30));
    }

    public ToolPolicy withMaxAttempts(int attempts) {
        return new ToolPolicy(tool, attempts, initialBackoff, backoffMultiplier, jitter, maxBackoff, maxRetryAfter,
                attemptTimeout, failureRateThreshold, slidingWindowSize, minimumCalls, openDuration);
    }

    public ToolPolicy withBackoff(Duration initial, Duration maxRetryAfterHonoured) {
        return new ToolPolicy(tool, maxAttempts, initial, backoffMultiplier, jitter, maxBackoff, maxRetryAfterHonoured,
                attemptTimeout, failureRateThreshold, slidingWindowSize, minimumCalls, openDuration);
    }

    public ToolPolicy withCircuit(int windowSize, int minCalls, Duration open) {
        return new ToolPolicy(tool, maxAttempts, initialBackoff, backoffMultiplier, jitter, maxBackoff, maxRetryAfter,
                attemptTimeout, failureRateThreshold, windowSize, minCalls, open);
    }

    private static void requirePositive(String tool, String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(tool + ": " + name + " must be positive");
        }
    }
}
