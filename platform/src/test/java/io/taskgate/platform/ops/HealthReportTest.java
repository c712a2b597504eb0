package io.taskgate.platform.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HealthReportTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
    private final AtomicInteger openai = new AtomicInteger(GatewayMeters.BREAKER_CLOSED);
    private final AtomicInteger fetchDefault = new AtomicInteger(GatewayMeters.BREAKER_CLOSED);
    private final AtomicInteger fetchBulk = new AtomicInteger(GatewayMeters.BREAKER_CLOSED);

    HealthReportTest() {
        GatewayMeters.breakerState(meters, "openai", "default", openai::get);
        GatewayMeters.breakerState(meters, "http_fetch", "default", fetchDefault::get);
        GatewayMeters.breakerState(meters, "http_fetch", "bulk", fetchBulk::get);
    }

    @Test
    void shouldBeHealthyWhileEveryBreakerIsClosed() {
        HealthReport.Body body = new HealthReport(clock, () -> true, () -> true, meters).current();

        assertEquals("healthy", body.status());
        assertTrue(body.serving());
        assertEquals(Map.of(), body.breakers());
    }

    @Test
    void shouldBeDegradedButServingWhileABreakerIsOpenOrHalfOpen() {
        openai.set(GatewayMeters.BREAKER_OPEN);
        fetchDefault.set(GatewayMeters.BREAKER_HALF_OPEN);

        HealthReport.Body body = new HealthReport(clock, () -> true, () -> true, meters).current();

        assertEquals("degraded", body.status());
        assertTrue(body.serving(), "the other tools still run: 200, not 503");
        assertEquals(Map.of("openai", "open", "http_fetch", "half_open"), body.breakers());
    }

    @Test
    void shouldNameAToolOpenInOnePoolAndHalfOpenInAnotherOpen() {
        fetchDefault.set(GatewayMeters.BREAKER_HALF_OPEN);
        fetchBulk.set(GatewayMeters.BREAKER_OPEN);

        assertEquals(Map.of("http_fetch", "open"), new HealthReport(clock, () -> true, () -> true, meters).current().breakers());
    }

    @Test
    void shouldStopServingWhenKafkaIsDownOrTheServiceIsNotReady() {
        HealthReport.Body kafkaDown = new HealthReport(clock, () -> false, () -> true, meters).current();
        HealthReport.Body notReady = new HealthReport(clock, () -> true, () -> false, meters).current();

        assertEquals("degraded", kafkaDown.status());
        assertFalse(kafkaDown.serving());
        assertEquals("down", kafkaDown.kafka());
        assertFalse(notReady.serving());
    }
}
