package io.taskgate.ingress.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import io.taskgate.schemas.json.JsonSerde;
import io.taskgate.schemas.tasks.TaskEvent;
import io.taskgate.schemas.webhooks.DeliveryAttempt;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What is known of one task, folded from its events. {@link #reduce} is idempotent and never moves a
 * task backwards, so replayed or reordered events (at-least-once delivery, several producers) give
 * the same view. Its JSON form is also what the status store keeps; {@code agent_id} and
 * {@code callback_url} never leave ingress, and {@code fingerprint} (of the request its
 * {@code Idempotency-Key} came with) travels only between ingress instances ({@link #toInternalBody}).
 * {@code cached} is true when the result came from a worker's response cache. Webhook attempts are
 * listed in {@code deliveries}, once each by attempt number, and never change the status.
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
        String fingerprint,
        String callbackUrl,
        List<DeliveryAttempt> deliveries) {

    public static final JsonSerde<TaskView> SERDE = new JsonSerde<>(TaskView.class);

    public TaskView {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(status, "status");
        deliveries = deliveries == null ? List.of() : List.copyOf(deliveries);
    }

    public boolean isTerminal() {
        return status.isTerminal();
    }

    /** The view after {@code event}; {@code current} is null for a task not seen before. */
    public static TaskView reduce(TaskView current, TaskEvent event) {
        if (event.event() == TaskEvent.Kind.WEBHOOK_ATTEMPT) {
            return withDelivery(current, event);
        }
        TaskStatus reported = TaskStatus.reportedBy(event.event());
        if (current == null) {
            Instant created = event.createdAt() != null ? event.createdAt() : event.at();
            return new TaskView(event.taskId(), event.agentId(), event.name(), reported,
                    reported == TaskStatus.SUCCEEDED ? event.result() : null,
                    reported.isTerminal() ? errorOf(event, reported) : null,
                    attemptOf(event), earliest(created, event.at()), event.at(),
                    reported == TaskStatus.SUCCEEDED ? event.cached() : null, event.fingerprint(),
                    event.callbackUrl(), List.of());
        }
        if (runsAgainAfterFailing(current, event)) {
            return new TaskView(current.taskId, current.agentId, current.name, TaskStatus.RUNNING, null, null,
                    Math.max(current.attempts, attemptOf(event)), current.createdAt, event.at(), null,
                    current.fingerprint, current.callbackUrl, current.deliveries);
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
                current.fingerprint != null ? current.fingerprint : event.fingerprint(),
                current.callbackUrl != null ? current.callbackUrl : event.callbackUrl(),
                current.deliveries);
        if (next.equals(current)) {
            return current;
        }
        return next.withUpdatedAt(latest(current.updatedAt, event.at()));
    }

    /** The view with one more webhook attempt; an attempt already listed (a replayed event) changes nothing. */
    private static TaskView withDelivery(TaskView current, TaskEvent event) {
        DeliveryAttempt delivery = event.delivery();
        if (current == null || delivery == null
                || current.deliveries.stream().anyMatch(known -> known.attempt() == delivery.attempt())) {
            return current;
        }
        List<DeliveryAttempt> deliveries = new ArrayList<>(current.deliveries);
        deliveries.add(delivery);
        deliveries.sort(Comparator.comparingInt(DeliveryAttempt::attempt));
        return new TaskView(current.taskId, current.agentId, current.name, current.status, current.result, current.error,
                current.attempts, current.createdAt, current.updatedAt, current.cached, current.fingerprint, current.callbackUrl,
                deliveries);
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
        if (!deliveries.isEmpty()) {
            body.put("deliveries", deliveries);
        }
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
        return new TaskView(taskId, agentId, name, status, result, error, attempts, createdAt, at, cached, fingerprint,
                callbackUrl, deliveries);
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
