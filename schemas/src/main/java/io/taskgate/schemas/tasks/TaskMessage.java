package io.taskgate.schemas.tasks;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A task as ingress accepted it ({@code tasks.requested}, keyed by agent id) and as policy let it
 * through to a pool ({@code tasks.ready.<pool>}, keyed by task id, with {@code pool} set, and the
 * {@code blocked_domains} of every policy rule it matched, which tools check again at each hop,
 * and its {@code route} when the policy forwards it to a backend).
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
        List<String> blockedDomains,
        TaskRoute route,
        String traceparent) {
    public static final String TYPE = "task";
    public static final int VERSION = 1;

    @JsonCreator
    public TaskMessage {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        blockedDomains = blockedDomains == null || blockedDomains.isEmpty() ? null : List.copyOf(blockedDomains);
    }

    /** A task with no blocked domains, route or trace attached. */
    public TaskMessage(String taskId, String name, String agentId, String agentName, JsonNode input, String callbackUrl,
                       String requestId, String idempotencyKey, String clientIp, Instant createdAt, String pool) {
        this(taskId, name, agentId, agentName, input, callbackUrl, requestId, idempotencyKey, clientIp, createdAt, pool,
                null, null, null);
    }

    /** A task as ingress accepts it: no blocked domains or route yet, within the caller's trace (null: none). */
    public TaskMessage(String taskId, String name, String agentId, String agentName, JsonNode input, String callbackUrl,
                       String requestId, String idempotencyKey, String clientIp, Instant createdAt, String pool,
                       String traceparent) {
        this(taskId, name, agentId, agentName, input, callbackUrl, requestId, idempotencyKey, clientIp, createdAt, pool,
                null, null, traceparent);
    }

    /** The domains policy blocks for this task; empty when none. */
    @Override
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public List<String> blockedDomains() {
        return blockedDomains == null ? List.of() : blockedDomains;
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
                idempotencyKey, clientIp, createdAt, poolName, blockedDomains, route, traceparent);
    }

    public TaskMessage withBlockedDomains(List<String> domains) {
        return new TaskMessage(taskId, name, agentId, agentName, input, callbackUrl, requestId,
                idempotencyKey, clientIp, createdAt, pool, domains, route, traceparent);
    }

    /** The task forwarded to a backend by the policy's {@code route:}; null for a task a tool runs. */
    public TaskMessage withRoute(TaskRoute taskRoute) {
        return new TaskMessage(taskId, name, agentId, agentName, input, callbackUrl, requestId,
                idempotencyKey, clientIp, createdAt, pool, blockedDomains, taskRoute, traceparent);
    }
}
