package io.taskgate.webhooks.deliver;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The deliverer's counts: {@code taskgate_webhook_attempts_total{outcome}},
 * {@code taskgate_webhook_failures_total{reason}}, {@code taskgate_webhook_deferred_total},
 * and as histograms the attempt duration and the delay from a task's end to its first attempt.
 */
final class WebhookMeters {
    private final MeterRegistry registry;
    private final Timer firstAttemptDelay;
    private final Timer attemptDuration;
    private final Counter deferred;

    WebhookMeters(MeterRegistry registry) {
        this.registry = registry;
        this.firstAttemptDelay = Timer.builder("taskgate_webhook_first_attempt_delay")
                .description("time from a task's terminal event to the start of its first webhook attempt")
                .publishPercentileHistogram()
                .register(registry);
        this.attemptDuration = Timer.builder("taskgate_webhook_attempt_duration")
                .description("how long one webhook attempt took, answer or not")
                .publishPercentileHistogram()
                .register(registry);
        this.deferred = Counter.builder("taskgate_webhook_deferred")
                .description("attempts put off because their receiver's host or this deliverer was at its limit")
                .register(registry);
    }

    void firstAttemptStarted(Duration sinceTaskEnded) {
        firstAttemptDelay.record(sinceTaskEnded.isNegative() ? Duration.ZERO : sinceTaskEnded);
    }

    void attempted(AttemptResult result) {
        attemptDuration.record(Duration.ofMillis(result.durationMs()));
        String outcome = result.succeeded() ? "delivered" : result.statusCode() != null && result.statusCode() == 410 ? "gone" : "failed";
        Counter.builder("taskgate_webhook_attempts").description("webhook attempts made, by outcome")
                .tag("outcome", outcome).register(registry).increment();
        if (!result.succeeded()) {
            Counter.builder("taskgate_webhook_failures").description("webhook attempts that failed, by reason")
                    .tag("reason", result.reason() == null ? "other" : result.reason()).register(registry).increment();
        }
    }

    void deferred() {
        deferred.increment();
    }
}
