package io.taskgate.schemas.tasks;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/**
 * A cancelled task id, on the compacted {@code tasks.cancelled} topic that every worker reads, so
 * a worker skips a task cancelled before it started.
 */
public record TaskCancellation(String taskId, String agentId, Instant at) {
    public static final String TYPE = "task_cancellation";
    public static final int VERSION = 1;

    public TaskCancellation {
        Objects.requireNonNull(taskId, "taskId");
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
