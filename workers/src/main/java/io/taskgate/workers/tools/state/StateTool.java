package io.taskgate.workers.tools.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskgate.platform.kafka.WriteNotVisibleException;
import io.taskgate.platform.state.StateStoreClient;
import io.taskgate.schemas.state.StateCommand;
import io.taskgate.schemas.state.StateCommands;
import io.taskgate.schemas.state.StateEntry;
import io.taskgate.schemas.state.StateLimits;
import io.taskgate.schemas.state.StateOutcome;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.tool.api.Tool;
import io.taskgate.tool.api.ToolException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * {@code state.get}, {@code state.set} and {@code state.delete}: an agent's state from a workflow
 * step, input {@code {"namespace", "key", "value"?, "ttl_s"?, "if_match"?}}. Whoever requested the
 * task was checked for the namespace (ingress for a task, the coordinator for a step); writes go
 * through the same processor as the HTTP API's, on {@code executor} since they wait for it.
 */
public final class StateTool implements Tool {
    public static final String NAME = "state";
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final StateStoreClient state;
    private final Executor executor;
    private final Clock clock;

    public StateTool(StateStoreClient state, Executor executor, Clock clock) {
        this.state = state;
        this.executor = executor;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> actions() {
        return Set.of("get", "set", "delete");
    }

    @Override
    public CompletionStage<JsonNode> run(TaskMessage task) {
        JsonNode input = task.input();
        String namespace = text(input, "namespace");
        String key = text(input, "key");
        if (!StateLimits.isNamespace(namespace) || !StateLimits.isKey(key)) {
            return CompletableFuture.failedFuture(ToolException.badInput("input needs a namespace and a key"));
        }
        String action = task.taskName().action();
        if (action.equals("get")) {
            return CompletableFuture.completedFuture(read(namespace, key));
        }
        return CompletableFuture.supplyAsync(() -> write(task, action, namespace, key), executor);
    }

    private JsonNode read(String namespace, String key) {
        ObjectNode result = JsonNodeFactory.instance.objectNode().put("namespace", namespace).put("key", key);
        Optional<StateEntry> entry = state.get(namespace, key);
        result.put("found", entry.isPresent());
        entry.ifPresent(found -> result.put("version", found.version()).set("value", found.value()));
        return result;
    }

    private JsonNode write(TaskMessage task, String action, String namespace, String key) {
        Long ifMatch = task.input().hasNonNull("if_match") ? task.input().get("if_match").asLong() : null;
        StateCommand command;
        try {
            command = action.equals("set")
                    ? StateCommands.put(UUID.randomUUID().toString(), namespace, key, task.input(), ifMatch, task.agentId(),
                            task.requestId(), clock.instant())
                    : new StateCommand(UUID.randomUUID().toString(), StateCommand.Op.DELETE, namespace, key, null, null, ifMatch,
                            task.agentId(), task.requestId(), clock.instant());
        } catch (StateCommands.StateLimitException e) {
            throw ToolException.badInput(e.getMessage());
        }
        StateOutcome outcome;
        try {
            outcome = state.write(command);
        } catch (WriteNotVisibleException e) {
            throw ToolException.transientFailure(e.getMessage(), RETRY_AFTER);
        }
        ObjectNode result = JsonNodeFactory.instance.objectNode().put("namespace", namespace).put("key", key);
        switch (outcome.result()) {
            case APPLIED -> result.put(action.equals("set") ? "version" : "deleted_version", outcome.version());
            case NOT_FOUND -> result.put("deleted", false);
            case PRECONDITION_FAILED -> throw ToolException.badInput("if_match " + ifMatch + " does not match version "
                    + outcome.version() + " of " + namespace + "/" + key);
        }
        return result;
    }

    private static String text(JsonNode input, String field) {
        return input != null && input.hasNonNull(field) && input.get(field).isTextual() ? input.get(field).asText() : null;
    }
}
