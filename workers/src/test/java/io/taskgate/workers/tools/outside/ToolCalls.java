package io.taskgate.workers.tools.outside;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.tool.api.Tool;
import io.taskgate.workers.resilience.Attempted;
import io.taskgate.workers.resilience.ToolPolicy;
import io.taskgate.workers.resilience.ToolResilience;
import io.taskgate.schemas.tasks.TaskMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs a tool the way a worker does, under a retry, breaker and timeout policy, for tests. */
public final class ToolCalls {
    private ToolCalls() {
    }

    /** Attempts 10 ms apart (Retry-After honoured up to 5 s), each timed out after {@code attemptTimeout}. */
    public static ToolPolicy fastPolicy(String tool, int attempts, Duration attemptTimeout) {
        return ToolPolicy.standard(tool, attemptTimeout).withMaxAttempts(attempts)
                .withBackoff(Duration.ofMillis(10), Duration.ofSeconds(5));
    }

    public static Attempted<JsonNode> run(Tool tool, TaskMessage task, ToolPolicy policy, ScheduledExecutorService scheduler)
            throws Exception {
        ToolResilience resilience = new ToolResilience(List.of(policy), scheduler, Clock.systemUTC(), Map.of());
        return resilience.<JsonNode>execute(policy.tool(), () -> tool.run(task), (attempt, failure) -> { })
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
