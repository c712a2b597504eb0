package io.taskgate.audit;

import io.taskgate.audit.store.SourceRecord;
import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.schemas.audit.AuditEvent;
import io.taskgate.schemas.json.JsonSerde;
import java.time.Instant;
import java.util.Map;

/** Audit events and the Kafka records carrying them, in the producers' own wire format. */
public final class AuditEvents {
    private static final JsonSerde<AuditEvent> SERDE = new JsonSerde<>(AuditEvent.class);

    private AuditEvents() {
    }

    public static AuditEvent event(String id, Instant at, AuditAction action, String agentId, String taskId,
                                   Map<String, Object> details) {
        return new AuditEvent(id, at, "ingress", action, "allowed", agentId, taskId, "req_" + id, "127.0.0.1", details);
    }

    public static SourceRecord record(int partition, long offset, AuditEvent event) {
        return new SourceRecord(partition, offset, event.at(), SERDE.toBytes(event));
    }

    /** A plain event at {@code at}, on partition 0 at {@code offset}. */
    public static SourceRecord record(long offset, Instant at) {
        return record(0, offset, event("evt-" + offset, at, AuditAction.TASK_ACCEPTED, "agt_1", "tsk_" + offset, Map.of()));
    }
}
