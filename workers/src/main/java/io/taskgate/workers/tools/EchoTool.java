package io.taskgate.workers.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.tool.api.Tool;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@code echo.run}: its result is its input. For tests and benchmarks. */
public final class EchoTool implements Tool {
    public static final String NAME = "echo";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> actions() {
        return Set.of("run");
    }

    @Override
    public CompletionStage<JsonNode> run(TaskMessage task) {
        return CompletableFuture.completedFuture(task.input() == null ? NullNode.getInstance() : task.input());
    }
}
