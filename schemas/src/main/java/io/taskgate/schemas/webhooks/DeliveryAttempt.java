package io.taskgate.schemas.webhooks;

import java.time.Instant;
import java.util.Objects;

/**
 * One webhook attempt as the task view lists it in {@code deliveries}: when it was made, what the
 * receiver answered ({@code statusCode}) or why it failed ({@code error}), and when the next one is
 * due while retries remain.
 */
public record DeliveryAttempt(int attempt, Instant at, Integer statusCode, String error, Instant nextAt) {

    public DeliveryAttempt {
        Objects.requireNonNull(at, "at");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts are numbered from 1");
        }
    }
}
