package io.taskgate.schemas.tasks;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.schemas.errors.ErrorDetail;
import io.taskgate.schemas.webhooks.DeliveryAttempt;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One step in a task's life, on {@code task-events}, keyed by task id. {@code cached} is true on a
 * {@code succeeded} event whose result came from the worker's response cache, and absent otherwise.
 * {@code fingerprint}, on {@code accepted} only, is the SHA-256 of the request an
 * {@code Idempotency-Key} was first used with, so any ingress instance can refuse the key with
 * another body. Terminal events carry the task's {@code callbackUrl} (when it has one), so the
 * webhook deliverer needs nothing but this topic to know what to send where; {@code webhook_attempt}
 * events carry one {@code delivery}.
 */
public record TaskEvent(
        String taskId,
        Kind event,
        String agentId,
        String name,
        Instant at,
        Integer attempt,
        JsonNode result,
        ErrorDetail error,
        String requestId,
        Instant createdAt,
        Boolean cached,
        String fingerprint,
        String callbackUrl,
        DeliveryAttempt delivery) {
    public static final String TYPE = "task_event";
    public static final int VERSION = 1;

    public enum Kind {
        ACCEPTED, REJECTED, STARTED, ATTEMPT_FAILED, SUCCEEDED, FAILED, CANCELLED, WEBHOOK_ATTEMPT;

        /** Whether the task ends with this event. */
        public boolean isTerminal() {
            return this == SUCCEEDED || this == FAILED || this == REJECTED || this == CANCELLED;
        }

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public TaskEvent {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(at, "at");
    }

    @JsonProperty("type")
    public String type() {
        return TYPE;
    }

    @JsonProperty("v")
    public int v() {
        return VERSION;
    }

    public static TaskEvent accepted(TaskMessage task, Instant at) {
        return of(task, Kind.ACCEPTED, at, null, null, null);
    }

    /** The {@code accepted} event of a task posted with an {@code Idempotency-Key}, carrying its request's fingerprint. */
    public static TaskEvent accepted(TaskMessage task, Instant at, String fingerprint) {
        return new TaskEvent(task.taskId(), Kind.ACCEPTED, task.agentId(), task.name(), at, null, null, null,
                task.requestId(), task.createdAt(), null, fingerprint, task.callbackUrl(), null);
    }

    public static TaskEvent rejected(TaskMessage task, ErrorDetail error, Instant at) {
        return of(task, Kind.REJECTED, at, null, null, error);
    }

    public static TaskEvent started(TaskMessage task, int attempt, Instant at) {
        return of(task, Kind.STARTED, at, attempt, null, null);
    }

    public static TaskEvent attemptFailed(TaskMessage task, int attempt, ErrorDetail error, Instant at) {
        return of(task, Kind.ATTEMPT_FAILED, at, attempt, null, error);
    }

    public static TaskEvent succeeded(TaskMessage task, int attempt, JsonNode result, Instant at) {
        return of(task, Kind.SUCCEEDED, at, attempt, result, null);
    }

    /** A success answered from the response cache, without running the tool. */
    public static TaskEvent succeededFromCache(TaskMessage task, JsonNode result, Instant at) {
        return new TaskEvent(task.taskId(), Kind.SUCCEEDED, task.agentId(), task.name(), at, 1, result, null,
                task.requestId(), task.createdAt(), Boolean.TRUE, null, task.callbackUrl(), null);
    }

    public static TaskEvent failed(TaskMessage task, int attempt, ErrorDetail error, Instant at) {
        return of(task, Kind.FAILED, at, attempt, null, error);
    }

    public static TaskEvent cancelled(String taskId, String agentId, String name, String requestId, String callbackUrl,
                                      Instant at) {
        return new TaskEvent(taskId, Kind.CANCELLED, agentId, name, at, null, null, null, requestId, null, null, null,
                callbackUrl, null);
    }

    /** One webhook attempt for the task's view; it never changes the task's status. */
    public static TaskEvent webhookAttempt(String taskId, String agentId, DeliveryAttempt delivery, Instant at) {
        return new TaskEvent(taskId, Kind.WEBHOOK_ATTEMPT, agentId, null, at, null, null, null, null, null, null, null,
                null, delivery);
    }

    private static TaskEvent of(TaskMessage task, Kind kind, Instant at, Integer attempt, JsonNode result, ErrorDetail error) {
        return new TaskEvent(task.taskId(), kind, task.agentId(), task.name(), at, attempt, result, error,
                task.requestId(), task.createdAt(), null, null, task.callbackUrl(), null);
    }
}
