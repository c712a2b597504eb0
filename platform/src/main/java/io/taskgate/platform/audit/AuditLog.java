package io.taskgate.platform.audit;

import io.taskgate.platform.concurrent.Futures;
import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.platform.tracing.TraceContext;
import io.taskgate.schemas.audit.AuditEvent;
import io.taskgate.schemas.topics.Topics;
import io.taskgate.platform.kafka.KafkaSender;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a service reports security-relevant events: to the {@code audit} topic, keyed by agent id.
 * Reporting never fails the caller's request. A record Kafka did not acknowledge for a passing
 * reason (a delivery timeout while the broker is away) is sent again, with backoff, until it is:
 * the task it describes goes on, so dropping the record would leave a hole in the trail. A record
 * Kafka refuses for good, or one beyond the first 100,000 waiting to be sent again, is given up:
 * counted in {@code taskgate_audit_publish_failures_total} and logged without its details. Records
 * still waiting when the service stops are lost with it.
 */
public final class AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final String NO_AGENT = "-";
    private static final int MAX_RESENDING = 100_000;
    private static final Duration FIRST_RESEND = Duration.ofMillis(500);
    private static final Duration MAX_RESEND = Duration.ofSeconds(10);

    private final KafkaSender sender;
    private final Topics topics;
    private final String service;
    private final ScheduledExecutorService resends;
    private final Clock clock;
    private final Counter failures;
    private final Counter resent;
    private final AtomicInteger resending = new AtomicInteger();

    /** @param resends runs the resends of records Kafka did not acknowledge */
    public AuditLog(KafkaSender sender, Topics topics, String service, ScheduledExecutorService resends, Clock clock,
                    MeterRegistry metrics) {
        this.sender = sender;
        this.topics = topics;
        this.service = service;
        this.resends = resends;
        this.clock = clock;
        this.failures = Counter.builder("taskgate_audit_publish_failures")
                .description("audit events given up: refused by Kafka, or still unacknowledged when the service stopped")
                .tag("service", service)
                .register(metrics);
        this.resent = Counter.builder("taskgate_audit_publish_resends")
                .description("audit events sent again because Kafka did not acknowledge them (a broker away)")
                .tag("service", service)
                .register(metrics);
    }

    public AuditEntry entry(AuditAction action) {
        return new AuditEntry(this, action);
    }

    void publish(AuditEntry entry) {
        AuditEvent event = new AuditEvent(UUID.randomUUID().toString(), clock.instant(), service, entry.action(),
                entry.outcome(), entry.agentId(), entry.taskId(), entry.requestId(), entry.clientIp(), entry.details(),
                entry.traceId());
        send(event, event.agentId() == null ? NO_AGENT : event.agentId(), FIRST_RESEND, false);
    }

    private void send(AuditEvent event, String key, Duration backoff, boolean isResend) {
        sender.send(topics.audit(), key, event).whenComplete((metadata, error) -> {
            if (error == null) {
                if (isResend) {
                    resending.decrementAndGet();
                }
                return;
            }
            Throwable cause = Futures.unwrap(error);
            if (!(cause instanceof RetriableException)) {
                giveUp(event, cause, isResend);
                return;
            }
            if (!isResend && resending.incrementAndGet() > MAX_RESENDING) {
                giveUp(event, cause, true);
                return;
            }
            resent.increment();
            Duration doubled = backoff.multipliedBy(2);
            Duration next = doubled.compareTo(MAX_RESEND) > 0 ? MAX_RESEND : doubled;
            try {
                resends.schedule(() -> send(event, key, next, true), backoff.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                giveUp(event, cause, true);
            }
        });
    }

    private void giveUp(AuditEvent event, Throwable cause, boolean wasResending) {
        if (wasResending) {
            resending.decrementAndGet();
        }
        failures.increment();
        LOG.warn("audit event {} {} not published: {}", event.action().wireName(), event.id(), cause.toString());
    }

    /** A fluent audit record under construction; {@link #publish()} sends it. */
    public static final class AuditEntry {
        private final AuditLog log;
        private final AuditAction action;
        private String outcome;
        private String agentId;
        private String taskId;
        private String requestId;
        private String clientIp;
        private String traceId;
        private Map<String, Object> details = Map.of();

        private AuditEntry(AuditLog log, AuditAction action) {
            this.log = log;
            this.action = action;
        }

        public AuditEntry outcome(String value) {
            this.outcome = value;
            return this;
        }

        public AuditEntry agent(String value) {
            this.agentId = value;
            return this;
        }

        public AuditEntry task(String value) {
            this.taskId = value;
            return this;
        }

        public AuditEntry request(String value) {
            this.requestId = value;
            return this;
        }

        public AuditEntry clientIp(String value) {
            this.clientIp = value;
            return this;
        }

        /** The W3C trace the event belongs to, from the task's {@code traceparent}; an invalid one is left out. */
        public AuditEntry trace(String traceparent) {
            this.traceId = TraceContext.traceIdOf(traceparent);
            return this;
        }

        /** Details must already be redacted: see {@link Redaction}. */
        public AuditEntry details(Map<String, Object> value) {
            this.details = Map.copyOf(value);
            return this;
        }

        public void publish() {
            log.publish(this);
        }

        AuditAction action() {
            return action;
        }

        String outcome() {
            return outcome;
        }

        String agentId() {
            return agentId;
        }

        String taskId() {
            return taskId;
        }

        String requestId() {
            return requestId;
        }

        String clientIp() {
            return clientIp;
        }

        Map<String, Object> details() {
            return details;
        }

        String traceId() {
            return traceId;
        }
    }
}
