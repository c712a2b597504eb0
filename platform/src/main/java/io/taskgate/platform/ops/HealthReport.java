package io.taskgate.platform.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * Builds the body of {@code GET /health}: {@code healthy} when Kafka answers and the service is
 * ready, {@code degraded} (and 503) otherwise.
 */
public final class HealthReport {
    private final Clock clock;
    private final Instant startedAt;
    private final BooleanSupplier kafkaUp;
    private final BooleanSupplier ready;
    private final String version = Version.current();

    public HealthReport(Clock clock, BooleanSupplier kafkaUp, BooleanSupplier ready) {
        this.clock = clock;
        this.startedAt = clock.instant();
        this.kafkaUp = kafkaUp;
        this.ready = ready;
    }

    public Body current() {
        boolean kafka = kafkaUp.getAsBoolean();
        boolean healthy = kafka && ready.getAsBoolean();
        Instant now = clock.instant();
        return new Body(healthy ? "healthy" : "degraded", Duration.between(startedAt, now).toSeconds(), version,
                now, kafka ? "up" : "down");
    }

    public record Body(String status, long uptimeS, String version, Instant timestamp, String kafka) {
        public boolean healthy() {
            return "healthy".equals(status);
        }
    }
}
