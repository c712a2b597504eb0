package io.taskgate.schemas.tasks;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * A task as ingress accepted it ({@code tasks.requested}, keyed by agent id) and as policy let it
 * through to a pool ({@code tasks.ready.<pool>}, keyed by task id, with {@code pool} set).
 * {@code traceparent} is the W3C trace context ingress kept or started for it (also in the record's
 * {@code traceparent} header), so the worker and the calls its tool makes join the caller's trace.
 */
public record TaskMessage(
        String taskId,
        String name,
        String agentId,
        String agentName,
        JsonNode input,
        String callbackUrl,
        String requestId,
        String idempotencyKey,
        String clientIp,
        Instant createdAt,
        String pool,
        String traceparent) {
    public static final String TYPE = "task";
    public static final int VERSION = 1;

    /** A task outside any trace. */
    public TaskMessage(String taskId, String name, String agentId, String agentName, JsonNode input, String callbackUrl,
                       String requestId, String idempotencyKey, String clientIp, Instant createdAt, String pool) {
        this(taskId, name, agentId, agentName, input, callbackUrl, requestId, idempotencyKey, clientIp, createdAt, pool, null);
    }

    public TaskMessage {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    @JsonProperty("type")
    public String type() {
        return TYPE;
    }

    @JsonProperty("v")
    public int v() {
        return VERSION;
    }

    public TaskName taskName() {
        return TaskName.parse(name);
    }

    public TaskMessage inPool(String poolName) {
        return new TaskMessage(taskId, name, agentId, agentName, input, callbackUrl, requestId,
                idempotencyKey, clientIp, createdAt, poolName, traceparent);
    }
}
