package io.taskgate.policy.decision;

import io.taskgate.platform.tracing.TraceContext;
import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.schemas.audit.AuditEvent;
import io.taskgate.schemas.errors.ErrorDetail;
import io.taskgate.schemas.tasks.TaskEvent;
import io.taskgate.schemas.tasks.TaskMessage;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What policy decided about one task: allowed into a pool, or denied with a reason (naming the
 * pool when the policy allowed it but the pool could not take it). The rule is
 * the pattern that matched, or {@code defaults}. It becomes the records the topology writes: the
 * task for its pool or its rejection, and always an audit record. An allowed task that must also
 * fit the global (all agents) rate limit is not final until {@link GlobalGate} has counted it.
 */
public record Decision(TaskMessage task, String rule, String pool, ErrorDetail denial, Instant at,
                       boolean awaitsGlobalLimit) {
    public static final String SERVICE = "policy-stream";
    /** The audit key of a task without an agent, as the shared audit log writes it. */
    static final String NO_AGENT = "-";

    public Decision {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(at, "at");
        if (pool == null && denial == null) {
            throw new IllegalArgumentException("an allowed decision has a pool");
        }
        if (awaitsGlobalLimit && denial != null) {
            throw new IllegalArgumentException("only an allowed task waits for the global limit");
        }
    }

    public static Decision allow(TaskMessage task, String rule, String pool, Instant at) {
        return new Decision(task, rule, pool, null, at, false);
    }

    /** Allowed by its own rule, still to be counted against the global limit. */
    public static Decision allowIfGlobalLimitPermits(TaskMessage task, String rule, String pool, Instant at) {
        return new Decision(task, rule, pool, null, at, true);
    }

    public static Decision deny(TaskMessage task, String rule, ErrorDetail denial, Instant at) {
        return new Decision(task, rule, null, denial, at, false);
    }

    /** Allowed by policy, but its pool cannot take it: rejected, still naming the pool. */
    public Decision poolUnavailable(ErrorDetail error) {
        return new Decision(task, rule, pool, error, at, false);
    }

    public boolean allowed() {
        return denial == null;
    }

    /** The task as its pool's workers receive it. */
    public TaskMessage readyTask() {
        return task.inPool(pool);
    }

    public TaskEvent rejection() {
        return TaskEvent.rejected(task, denial, at);
    }

    public String auditKey() {
        return task.agentId() == null ? NO_AGENT : task.agentId();
    }

    /** The audit record; its id derives from the task id, so a replay writes the same record again. */
    public AuditEvent audit() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("task", task.name());
        details.put("rule", rule);
        details.put("reason", allowed() ? "allowed" : denial.codeName());
        if (pool != null) {
            details.put("pool", pool);
        }
        if (!allowed() && denial.retryAfterS() != null) {
            details.put("retry_after_s", denial.retryAfterS());
        }
        return new AuditEvent("policy:" + task.taskId(), at, SERVICE, AuditAction.POLICY_DECISION,
                allowed() ? "allowed" : "denied", task.agentId(), task.taskId(), task.requestId(), task.clientIp(), details,
                TraceContext.traceIdOf(task.traceparent()));
    }
}
