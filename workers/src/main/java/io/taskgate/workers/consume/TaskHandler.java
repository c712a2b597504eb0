package io.taskgate.workers.consume;

import io.taskgate.schemas.tasks.TaskMessage;
import java.util.concurrent.CompletionStage;

/** Runs one task from the ready topic. Called on the poll thread, so it must return at once. */
@FunctionalInterface
public interface TaskHandler {

    /**
     * @param requestId the {@code X-Request-Id} the task travelled with, or null
     * @return completes when the task's outcome is recorded; only then is its offset committed
     */
    CompletionStage<?> handle(TaskMessage task, String requestId);
}
