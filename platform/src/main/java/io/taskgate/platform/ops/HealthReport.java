package io.taskgate.platform.ops;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Builds the body of {@code GET /health}: {@code healthy} when Kafka answers, the service is ready
 * and no tool's circuit breaker is open; {@code degraded} otherwise. Only Kafka and readiness
 * make it a 503: a service with an open breaker still serves every other tool. The breakers are
 * read from the {@code gateway_breaker_state} gauges of the registry, so {@code /health} and
 * {@code /metrics} always agree, and a process running several services reports them all.
 */
public final class HealthReport {
    private final Clock clock;
    private final Instant startedAt;
    private final BooleanSupplier kafkaUp;
    private final BooleanSupplier ready;
    private final MeterRegistry meters;
    private final String version = Version.current();

    public HealthReport(Clock clock, BooleanSupplier kafkaUp, BooleanSupplier ready, MeterRegistry meters) {
        this.clock = clock;
        this.startedAt = clock.instant();
        this.kafkaUp = kafkaUp;
        this.ready = ready;
        this.meters = meters;
    }

    public Body current() {
        boolean kafka = kafkaUp.getAsBoolean();
        boolean serving = kafka && ready.getAsBoolean();
        Map<String, String> breakers = GatewayMeters.breakersNotClosed(meters);
        Instant now = clock.instant();
        return new Body(serving && breakers.isEmpty() ? "healthy" : "degraded", serving,
                Duration.between(startedAt, now).toSeconds(), version, now, kafka ? "up" : "down", breakers);
    }

    /**
     * @param serving  whether the service takes work (200) or not (503)
     * @param breakers tool to {@code open} or {@code half_open}, for every breaker not closed
     */
    public record Body(String status, boolean serving, long uptimeS, String version, Instant timestamp, String kafka,
                       Map<String, String> breakers) {
        public Body {
            breakers = Map.copyOf(breakers);
        }
    }
}
