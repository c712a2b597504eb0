package io.taskgate.ingress.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import io.taskgate.schemas.json.JsonSerde;
import io.taskgate.schemas.tasks.TaskEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What is known of one task, folded from its events. {@link #reduce} is idempotent and never moves a
 * task backwards, so replayed or reordered events (at-least-once delivery, several producers) give
 * the same view. Its JSON form is also what the status store keeps; {@code agent_id} never leaves
 * ingress, and {@code fingerprint} (of the request its {@code Idempotency-Key} came with) travels
 * only between ingress instances ({@link #toInternalBody}). {@code cached} is true when the result
 * came from a worker's response cache.
 */
public record TaskView(
        String taskId,
        String agentId,
        String name,
        TaskStatus status,
        JsonNode result,
        ErrorDetail error,
        int attempts,
        Instant createdAt,
        Instant updatedAt,
        Boolean cached,
        String fingerprint) {

    public static final JsonSerde<TaskView> SERDE = new JsonSerde<>(TaskView.class);

    public TaskView {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(status, "status");
    }

    public boolean isTerminal() {
        return status.isTerminal();
    }

    /** The view after {@code event}; {@code current} is null for a task not seen before. */
    public static TaskView reduce(TaskView current, TaskEvent event) {
        TaskStatus reported = TaskStatus.reportedBy(event.event());
        if (current == null) {
            Instant created = event.createdAt() != null ? event.createdAt() : event.at();
            return new TaskView(event.taskId(), event.agentId(), event.name(), reported,
                    reported == TaskStatus.SUCCEEDED ? event.result() : null,
                    reported.isTerminal() ? errorOf(event, reported) : null,
                    attemptOf(event), earliest(created, event.at()), event.at(),
                    reported == TaskStatus.SUCCEEDED ? event.cached() : null, event.fingerprint());
        }
        if (runsAgainAfterFailing(current, event)) {
            return new TaskView(current.taskId, current.agentId, current.name, TaskStatus.RUNNING, null, null,
                    Math.max(current.attempts, attemptOf(event)), current.createdAt, event.at(), null,
                    current.fingerprint);
        }
        boolean moves = current.status.canMoveTo(reported);
        boolean ends = moves && reported.isTerminal();
        TaskView next = new TaskView(current.taskId,
                current.agentId != null ? current.agentId : event.agentId(),
                current.name != null ? current.name : event.name(),
                moves ? reported : current.status,
                ends && reported == TaskStatus.SUCCEEDED ? event.result() : current.result,
                ends ? errorOf(event, reported) : current.error,
                Math.max(current.attempts, attemptOf(event)),
                earliest(current.createdAt, event.createdAt() != null ? event.createdAt() : event.at()),
                current.updatedAt,
                ends && reported == TaskStatus.SUCCEEDED ? event.cached() : current.cached,
                current.fingerprint != null ? current.fingerprint : event.fingerprint());
        if (next.equals(current)) {
            return current;
        }
        return next.withUpdatedAt(latest(current.updatedAt, event.at()));
    }

    /**
     * A failed task that starts after its failure was recorded was sent back from the dead-letter
     * topic ({@code taskgate dlq replay}): it is running again. A start from before the failure is
     * one of the failed run's own events arriving late, and changes nothing.
     */
    private static boolean runsAgainAfterFailing(TaskView current, TaskEvent event) {
        return current.status == TaskStatus.FAILED && event.event() == TaskEvent.Kind.STARTED
                && event.at() != null && current.updatedAt != null && event.at().isAfter(current.updatedAt);
    }

    /** The public body of {@code GET /__runner/tasks/{id}}. */
    public Map<String, Object> toBody() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ok", true);
        body.put("task_id", taskId);
        body.put("name", name);
        body.put("status", status.wireName());
        if (result != null) {
            body.put("result", result);
        }
        if (Boolean.TRUE.equals(cached)) {
            body.put("cached", true);
        }
        if (error != null) {
            body.put("error", error);
        }
        body.put("attempts", attempts);
        body.put("created_at", createdAt);
        body.put("updated_at", updatedAt);
        return body;
    }

    /** The body one ingress instance answers another with: the public one and the fingerprint. */
    public Map<String, Object> toInternalBody() {
        Map<String, Object> body = toBody();
        if (fingerprint != null) {
            body.put("fingerprint", fingerprint);
        }
        return body;
    }

    private TaskView withUpdatedAt(Instant at) {
        return new TaskView(taskId, agentId, name, status, result, error, attempts, createdAt, at, cached, fingerprint);
    }

    private static ErrorDetail errorOf(TaskEvent event, TaskStatus status) {
        if (event.error() != null) {
            return event.error();
        }
        return switch (status) {
            case REJECTED -> ErrorDetail.of(ErrorCode.POLICY_DENIED, "the policy denied this task");
            case FAILED -> ErrorDetail.of(ErrorCode.TOOL_FAILED, "the task failed");
            case CANCELLED -> ErrorDetail.of(ErrorCode.CANCELLED, "the task was cancelled before it started");
            default -> null;
        };
    }

    /** Attempts are numbered by the worker; taking the highest number seen keeps replays from counting twice. */
    private static int attemptOf(TaskEvent event) {
        if (event.attempt() != null) {
            return event.attempt();
        }
        return event.event() == TaskEvent.Kind.STARTED ? 1 : 0;
    }

    private static Instant earliest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }

    private static Instant latest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}
