package io.taskgate.audit.store;

import java.time.Instant;

/**
 * A search of the audit trail: every filter is optional (null), {@code since} is inclusive,
 * {@code until} exclusive, {@code type} is an action's wire name such as {@code task.succeeded}.
 */
public record AuditQuery(String agentId, String taskId, String type, Instant since, Instant until, int limit) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public AuditQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        if (since != null && until != null && !since.isBefore(until)) {
            throw new IllegalArgumentException("since must be before until");
        }
    }

    /** The newest records, unfiltered. */
    public static AuditQuery latest(int limit) {
        return new AuditQuery(null, null, null, null, null, limit);
    }
}
