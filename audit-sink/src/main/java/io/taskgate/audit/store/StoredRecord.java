package io.taskgate.audit.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One record of the trail as the query API returns it; {@code type} is the action's wire name.
 * Written with the shared mapper it is the wire shape: {@code {"seq", "at", "service", "type",
 * "outcome", "agent_id", "task_id", "request_id", "details", "hash"}}.
 */
public record StoredRecord(
        long seq,
        Instant at,
        String service,
        String type,
        String outcome,
        String agentId,
        String taskId,
        String requestId,
        JsonNode details,
        String hash) {
}
