package io.taskgate.platform.audit;

import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.platform.tracing.TraceContext;
import io.taskgate.schemas.audit.AuditEvent;
import io.taskgate.schemas.topics.Topics;
import io.taskgate.platform.kafka.KafkaSender;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a service reports security-relevant events: to the {@code audit} topic, keyed by agent id.
 * Reporting never fails the caller's request; a record Kafka would not take is counted in
 * {@code taskgate_audit_publish_failures_total} and logged without its details.
 */
public final class AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final String NO_AGENT = "-";

    private final KafkaSender sender;
    private final Topics topics;
    private final String service;
    private final Clock clock;
    private final Counter failures;

    public AuditLog(KafkaSender sender, Topics topics, String service, Clock clock, MeterRegistry metrics) {
        this.sender = sender;
        this.topics = topics;
        this.service = service;
        this.clock = clock;
        this.failures = Counter.builder("taskgate_audit_publish_failures")
                .description("audit events Kafka did not acknowledge")
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
        String key = event.agentId() == null ? NO_AGENT : event.agentId();
        sender.send(topics.audit(), key, event).whenComplete((metadata, error) -> {
            if (error != null) {
                failures.increment();
                LOG.warn("audit event {} {} not published: {}", event.action().wireName(), event.id(), error.toString());
            }
        });
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
