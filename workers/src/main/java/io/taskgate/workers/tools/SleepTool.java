package io.taskgate.workers.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.schemas.json.Json;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.tool.api.Tool;
import io.taskgate.tool.api.ToolException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code sleep.run} with {@code {"ms": N}}: succeeds with {@code {"slept_ms": N}} after N ms. The
 * wait is a scheduled completion, not a parked thread, so a thousand sleeping tasks cost nothing.
 */
public final class SleepTool implements Tool {
    public static final String NAME = "sleep";
    public static final Duration MAX_SLEEP = Duration.ofMinutes(5);

    private final ScheduledExecutorService scheduler;

    public SleepTool(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

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
        int ms;
        try {
            ms = millis(task.input());
        } catch (ToolException e) {
            return CompletableFuture.failedFuture(e);
        }
        JsonNode result = Json.mapper().createObjectNode().put("slept_ms", ms);
        CompletableFuture<JsonNode> done = new CompletableFuture<>();
        ScheduledFuture<?> wakeUp = scheduler.schedule(() -> done.complete(result), ms, TimeUnit.MILLISECONDS);
        // A timed-out or abandoned sleep should not keep its timer queued.
        done.whenComplete((value, error) -> wakeUp.cancel(false));
        return done;
    }

    /** The validated {@code ms} of a sleep input. */
    static int millis(JsonNode input) {
        JsonNode ms = input == null ? null : input.get("ms");
        if (ms == null || !ms.isIntegralNumber() || !ms.canConvertToLong()) {
            throw ToolException.badInput("sleep.run needs {\"ms\": N} with N a whole number of milliseconds");
        }
        long value = ms.longValue();
        if (value < 0 || value > MAX_SLEEP.toMillis()) {
            throw ToolException.badInput("sleep.run ms must be between 0 and " + MAX_SLEEP.toMillis() + ", got " + value);
        }
        return (int) value;
    }
}
