package io.taskgate.schemas.policy;

import java.time.Duration;
import java.util.Objects;

/** A sliding-window limit such as {@code 600/minute}: at most {@code limit} events per {@code window}. */
public record RateLimit(long limit, Duration window) {

    public RateLimit {
        Objects.requireNonNull(window, "window");
        if (limit < 1) {
            throw new IllegalArgumentException("a rate limit allows at least 1 event");
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a rate limit window is positive");
        }
    }
}
