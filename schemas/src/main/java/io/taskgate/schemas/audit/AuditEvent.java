package io.taskgate.schemas.audit;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One security-relevant event, on {@code audit}, keyed by agent id. Producers put only redacted
 * details here: never a token, key or secret, and inputs and results only as hashes. {@code traceId}
 * is the W3C trace id of the request the event belongs to.
 */
public record AuditEvent(
        String id,
        Instant at,
        String service,
        AuditAction action,
        String outcome,
        String agentId,
        String taskId,
        String requestId,
        String clientIp,
        Map<String, Object> details,
        String traceId) {
    public static final String TYPE = "audit";
    public static final int VERSION = 1;

    public AuditEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(action, "action");
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    /** An event outside any trace. */
    public AuditEvent(String id, Instant at, String service, AuditAction action, String outcome, String agentId, String taskId,
                      String requestId, String clientIp, Map<String, Object> details) {
        this(id, at, service, action, outcome, agentId, taskId, requestId, clientIp, details, null);
    }

    @JsonProperty("type")
    public String type() {
        return TYPE;
    }

    @JsonProperty("v")
    public int v() {
        return VERSION;
    }
}
