package io.taskgate.workers.execution;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.taskgate.platform.logging.LogContext;
import io.taskgate.platform.ops.GatewayMeters;
import io.taskgate.platform.secrets.SecretRedactor;
import io.taskgate.schemas.errors.ErrorDetail;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.tool.api.Tool;
import io.taskgate.tool.api.ToolException;
import io.taskgate.workers.cache.ResponseCache;
import io.taskgate.workers.consume.TaskHandler;
import io.taskgate.workers.resilience.Attempted;
import io.taskgate.workers.resilience.FailureClassifier;
import io.taskgate.workers.resilience.ToolResilience;
import io.taskgate.workers.tools.ToolRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one task from start to recorded outcome: skips it if it was cancelled, reports it started,
 * runs its tool under the tool's retry, breaker and timeout, reports each retried attempt, and
 * ends with {@code succeeded} or {@code failed} (plus a dead letter when retries ran out on a
 * passing failure). Each task is timed in {@code taskgate_worker_tasks} by tool and outcome. What
 * a tool brings back from its service (a result, an error message) has every tool secret masked
 * before it is cached, reported or logged: a hostile or careless service may echo the key it got.
 */
public final class TaskRunner implements TaskHandler {
    private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);
    /** The tool tag of tasks naming no known tool: a fixed value keeps the metric's cardinality bounded. */
    private static final String UNKNOWN_TOOL = "unknown";
    private static final String SERVICE = "worker";

    private final ToolRegistry tools;
    private final ToolResilience resilience;
    private final TaskReporter reporter;
    private final Predicate<String> cancelled;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final String pool;
    private final ResponseCache cache;
    private final SecretRedactor redactor;

    /**
     * @param cancelled whether a task id was cancelled before it started
     */
    public TaskRunner(ToolRegistry tools, ToolResilience resilience, TaskReporter reporter, Predicate<String> cancelled,
                      Clock clock, MeterRegistry metrics, String pool) {
        this(tools, resilience, reporter, cancelled, clock, metrics, pool, ResponseCache.none(metrics), SecretRedactor.none());
    }

    /**
     * @param cache    answers repeated idempotent tasks without running their tool
     * @param redactor masks the tools' secrets in results and errors
     */
    public TaskRunner(ToolRegistry tools, ToolResilience resilience, TaskReporter reporter, Predicate<String> cancelled,
                      Clock clock, MeterRegistry metrics, String pool, ResponseCache cache, SecretRedactor redactor) {
        this.cache = cache;
        this.redactor = redactor;
        this.tools = tools;
        this.resilience = resilience;
        this.reporter = reporter;
        this.cancelled = cancelled;
        this.clock = clock;
        this.metrics = metrics;
        this.pool = pool;
    }

    @Override
    public CompletionStage<Void> handle(TaskMessage task, String requestId) {
        try (LogContext context = logContext(task, requestId)) {
            return start(task, requestId);
        }
    }

    private CompletionStage<Void> start(TaskMessage task, String requestId) {
        if (cancelled.test(task.taskId())) {
            LOG.info("task {} was cancelled before it started; skipping it", task.taskId());
            return CompletableFuture.completedFuture(null);
        }
        long startedAt = clock.millis();
        Optional<Tool> found = tools.forTask(task);
        String toolName = found.map(Tool::name).orElse(UNKNOWN_TOOL);
        reporter.started(task, requestId, toolName);
        if (found.isEmpty()) {
            return finish(task, requestId, toolName, Attempted.failed(ToolException.failed("no such tool: " + task.name()), 1), startedAt);
        }
        Optional<JsonNode> cached = cache.lookup(task);
        if (cached.isPresent()) {
            long durationMs = Math.max(0, clock.millis() - startedAt);
            record(toolName, "cached", durationMs);
            return reporter.succeededFromCache(task, requestId, toolName, cached.get(), durationMs);
        }
        Tool tool = found.get();
        return resilience.<JsonNode>execute(toolName, () -> tool.run(task),
                        (attempt, failure) -> {
                            GatewayMeters.retries(metrics, toolName, pool).increment();
                            reporter.attemptFailed(task, requestId, toolName, attempt, errorOf(failure));
                        })
                .thenCompose(attempted -> {
                    Attempted<JsonNode> outcome = attempted.succeeded()
                            ? Attempted.succeeded(redactor.redact(attempted.result()), attempted.attempts())
                            : attempted;
                    if (outcome.succeeded()) {
                        cache.store(task, outcome.result());
                    }
                    try (LogContext context = logContext(task, requestId)) {
                        return finish(task, requestId, toolName, outcome, startedAt);
                    }
                });
    }

    private static LogContext logContext(TaskMessage task, String requestId) {
        return LogContext.open(SERVICE)
                .put(LogContext.TASK_ID, task.taskId())
                .put(LogContext.AGENT_ID, task.agentId())
                .put(LogContext.REQUEST_ID, requestId);
    }

    private CompletionStage<Void> finish(TaskMessage task, String requestId, String tool, Attempted<JsonNode> outcome, long startedAt) {
        long durationMs = Math.max(0, clock.millis() - startedAt);
        if (outcome.succeeded()) {
            record(tool, "succeeded", durationMs);
            return reporter.succeeded(task, requestId, tool, outcome.attempts(), outcome.result(), durationMs);
        }
        Throwable failure = outcome.failure();
        ErrorDetail error = errorOf(failure);
        boolean deadLetter = FailureClassifier.isTransient(failure);
        if (FailureClassifier.isUnexpected(failure)) {
            LOG.warn("task {} failed unexpectedly in tool {}", task.taskId(), tool, redactor.redact(failure));
        } else {
            LOG.info("task {} failed after {} attempt(s): {} {}", task.taskId(), outcome.attempts(), error.codeName(), error.message());
        }
        record(tool, deadLetter ? "dead_lettered" : "failed", durationMs);
        return reporter.failed(task, requestId, tool, outcome.attempts(), error, durationMs, deadLetter);
    }

    private ErrorDetail errorOf(Throwable failure) {
        ErrorDetail error = FailureClassifier.toError(failure);
        return new ErrorDetail(error.kind(), redactor.redact(error.message()), error.retryAfterS());
    }

    private void record(String tool, String outcome, long durationMs) {
        Timer.builder("taskgate_worker_tasks")
                .description("tasks run by this worker, by tool and outcome")
                .tag("pool", pool)
                .tag("tool", tool)
                .tag("outcome", outcome)
                .register(metrics)
                .record(Duration.ofMillis(durationMs));
    }
}
