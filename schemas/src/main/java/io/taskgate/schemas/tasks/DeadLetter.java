package io.taskgate.schemas.tasks;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.taskgate.schemas.errors.ErrorDetail;
import java.time.Instant;
import java.util.Objects;

/** A task that exhausted its retries, on {@code tasks.dlq}, keyed by task id, with its last error. */
public record DeadLetter(TaskMessage task, ErrorDetail error, int attempts, Instant at) {
    public static final String TYPE = "dead_letter";
    public static final int VERSION = 1;

    public DeadLetter {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(error, "error");
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
}
