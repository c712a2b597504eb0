package io.taskgate.tool.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.schemas.tasks.TaskMessage;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * One tool a worker can run, such as {@code http_fetch} with its action {@code get}. A tool must
 * not block the calling thread: the consumer's poll thread starts tasks, so waiting belongs in a
 * scheduler or an async client. A failure the caller should see completes the stage with a
 * {@link ToolException}; anything else is reported as an unexpected tool failure.
 */
public interface Tool {

    /** The tool part of a task name: {@code http_fetch} for {@code http_fetch.get}. */
    String name();

    /** The actions of this tool: {@code get} for {@code http_fetch.get}. */
    Set<String> actions();

    /** Runs one attempt of the task. Called again for each retry. */
    CompletionStage<JsonNode> run(TaskMessage task);
}
