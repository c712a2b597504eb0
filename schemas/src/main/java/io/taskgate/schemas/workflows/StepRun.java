package io.taskgate.schemas.workflows;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.schemas.errors.ErrorDetail;
import java.time.Instant;
import java.util.Locale;

/**
 * Where one step of a run stands: its status, the task of its current attempt, its attempts so
 * far, and its result or error. {@code deadline} is when the current attempt times out, if it can.
 */
public record StepRun(String task, Status status, String taskId, int attempts, JsonNode result, ErrorDetail error,
                      Instant startedAt, Instant endedAt, Instant deadline) {

    public enum Status {
        WAITING, RUNNING, SUCCEEDED, FAILED, SKIPPED, CANCELLED;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean isEnded() {
            return this != WAITING && this != RUNNING;
        }
    }

    public static StepRun waiting(String task) {
        return new StepRun(task, Status.WAITING, null, 0, null, null, null, null, null);
    }

    public StepRun attempt(String newTaskId, Instant at, Instant newDeadline) {
        return new StepRun(task, Status.RUNNING, newTaskId, attempts + 1, null, null, startedAt == null ? at : startedAt,
                null, newDeadline);
    }

    public StepRun succeeded(JsonNode value, Instant at) {
        return new StepRun(task, Status.SUCCEEDED, taskId, attempts, value, null, startedAt, at, null);
    }

    public StepRun ended(Status endStatus, ErrorDetail why, Instant at) {
        return new StepRun(task, endStatus, taskId, attempts, null, why, startedAt, at, null);
    }
}
