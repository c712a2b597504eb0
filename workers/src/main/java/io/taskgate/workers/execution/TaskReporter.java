package io.taskgate.workers.execution;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskgate.platform.audit.AuditLog;
import io.taskgate.platform.audit.Redaction;
import io.taskgate.platform.concurrent.Futures;
import io.taskgate.platform.kafka.KafkaSender;
import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import io.taskgate.schemas.tasks.DeadLetter;
import io.taskgate.schemas.tasks.TaskEvent;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.topics.MessageLimits;
import io.taskgate.schemas.topics.Topics;
import io.taskgate.workers.consume.RequestIdHeader;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the world how a task is going: lifecycle events on {@code task-events} and exhausted tasks
 * on the dead-letter topic, keyed by task id with the caller's request id in the headers; and the
 * audit trail, which sees inputs and results only as hashes. Events of one task share a key and
 * this one producer, so they arrive in the order they were sent.
 *
 * <p>A task's outcome (its final event and dead letter) is what lets the worker commit past it, so
 * it is sent again, with backoff, for as long as Kafka answers with a retriable error such as a
 * delivery timeout while the broker is away: otherwise a broker outage longer than the producer's
 * delivery timeout would leave the task {@code running} forever.
 */
public final class TaskReporter {
    private static final Logger LOG = LoggerFactory.getLogger(TaskReporter.class);
    private static final Duration FIRST_RESEND = Duration.ofMillis(500);
    private static final Duration MAX_RESEND = Duration.ofSeconds(10);

    private final KafkaSender sender;
    private final Topics topics;
    private final AuditLog audit;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Counter resends;
    private final Counter tooLarge;

    /** @param scheduler runs the resends of an outcome Kafka did not acknowledge */
    public TaskReporter(KafkaSender sender, Topics topics, AuditLog audit, ScheduledExecutorService scheduler,
                        Clock clock, MeterRegistry metrics) {
        this.sender = sender;
        this.topics = topics;
        this.audit = audit;
        this.scheduler = scheduler;
        this.clock = clock;
        this.resends = Counter.builder("taskgate_worker_outcome_resends")
                .description("task outcomes sent again because Kafka did not acknowledge them (a broker away)")
                .register(metrics);
        this.tooLarge = Counter.builder("taskgate_worker_results_too_large")
                .description("tasks that succeeded with a result larger than Kafka takes, reported failed instead")
                .register(metrics);
    }

    public void started(TaskMessage task, String requestId, String tool) {
        send(task, requestId, TaskEvent.started(task, 1, clock.instant()));
        Map<String, Object> details = new HashMap<>();
        details.put("tool", tool);
        putIfPresent(details, "input_hash", Redaction.hash(task.input()));
        audit(AuditAction.TASK_STARTED, task, requestId, "started", details);
    }

    public void attemptFailed(TaskMessage task, String requestId, String tool, int attempt, ErrorDetail error) {
        send(task, requestId, TaskEvent.attemptFailed(task, attempt, error, clock.instant()));
        audit(AuditAction.TASK_ATTEMPT_FAILED, task, requestId, "retrying",
                Map.of("tool", tool, "attempt", attempt, "error", error.codeName()));
    }

    /**
     * Completes when the event is acknowledged. A result too large for Kafka, by the worker's own
     * limit or by the broker's answer, becomes {@code failed} with RESULT_TOO_LARGE instead, so the
     * task never stays {@code running}.
     */
    public CompletionStage<Void> succeeded(TaskMessage task, String requestId, String tool, int attempts,
                                           JsonNode result, long durationMs) {
        Map<String, Object> details = new HashMap<>();
        details.put("tool", tool);
        details.put("attempts", attempts);
        details.put("duration_ms", durationMs);
        putIfPresent(details, "result_hash", Redaction.hash(result));
        putIfPresent(details, "usage", usage(tool, result));
        return succeededWith(task, requestId, tool, attempts, durationMs,
                TaskEvent.succeeded(task, attempts, result, clock.instant()), details);
    }

    /** As {@link #succeeded}; the tool did not run: its result came from the response cache. */
    public CompletionStage<Void> succeededFromCache(TaskMessage task, String requestId, String tool, JsonNode result,
                                                    long durationMs) {
        Map<String, Object> details = new HashMap<>();
        details.put("tool", tool);
        details.put("cached", true);
        details.put("duration_ms", durationMs);
        putIfPresent(details, "result_hash", Redaction.hash(result));
        return succeededWith(task, requestId, tool, 1, durationMs,
                TaskEvent.succeededFromCache(task, result, clock.instant()), details);
    }

    private CompletionStage<Void> succeededWith(TaskMessage task, String requestId, String tool, int attempts,
                                                long durationMs, TaskEvent event, Map<String, Object> details) {
        int size = topics.taskEvents().valueSerde().serializer().serialize(topics.taskEvents().name(), event).length;
        if (size > MessageLimits.MAX_RESULT_BYTES) {
            return tooLarge(task, requestId, tool, attempts, durationMs, size, MessageLimits.MAX_RESULT_BYTES,
                    "over the limit of " + MessageLimits.MAX_RESULT_BYTES + " bytes");
        }
        return sendOutcome(task, requestId, event)
                .thenRun(() -> audit(AuditAction.TASK_SUCCEEDED, task, requestId, "succeeded", details))
                .exceptionallyCompose(error -> Futures.unwrap(error) instanceof RecordTooLargeException
                        ? tooLarge(task, requestId, tool, attempts, durationMs, size, MessageLimits.MAX_RECORD_BYTES,
                                "Kafka refused it (a topic's max.message.bytes may be lower than Taskgate's limit of "
                                        + MessageLimits.MAX_RECORD_BYTES + " bytes)")
                        : CompletableFuture.failedFuture(error));
    }

    private CompletionStage<Void> tooLarge(TaskMessage task, String requestId, String tool, int attempts, long durationMs,
                                           int size, int limit, String why) {
        LOG.info("task {} succeeded with a result of {} bytes, over the {} bytes Kafka takes; it fails instead",
                task.taskId(), size, limit);
        tooLarge.increment();
        ErrorDetail error = ErrorDetail.of(ErrorCode.RESULT_TOO_LARGE, "the result is " + size + " bytes, " + why
                + "; ask for less (http_fetch truncates bodies at 1 MiB, JSON escaping can grow them)");
        return failed(task, requestId, tool, attempts, error, durationMs, false);
    }

    /** The tokens an LLM call used, kept in the audit record for budgets; numbers only, never text. */
    private static Map<String, Long> usage(String tool, JsonNode result) {
        JsonNode usage = result == null ? null : result.get("usage");
        if (!"openai".equals(tool) || usage == null || !usage.isObject()) {
            return null;
        }
        Map<String, Long> counts = new HashMap<>();
        for (String field : List.of("prompt_tokens", "completion_tokens", "total_tokens")) {
            if (usage.path(field).canConvertToLong()) {
                counts.put(field, usage.path(field).asLong());
            }
        }
        return counts.isEmpty() ? null : counts;
    }

    /**
     * Completes when the event, and the dead letter if any, are acknowledged.
     *
     * @param deadLetter whether the task failed for a passing reason and may be replayed later
     */
    public CompletionStage<Void> failed(TaskMessage task, String requestId, String tool, int attempts,
                                        ErrorDetail error, long durationMs, boolean deadLetter) {
        Map<String, Object> details = Map.of("tool", tool, "attempts", attempts, "duration_ms", durationMs,
                "error", error.codeName());
        audit(AuditAction.TASK_FAILED, task, requestId, "failed", details);
        CompletableFuture<Void> event = sendOutcome(task, requestId, TaskEvent.failed(task, attempts, error, clock.instant()));
        if (!deadLetter) {
            return event;
        }
        audit(AuditAction.TASK_DEAD_LETTERED, task, requestId, "dead_lettered", details);
        DeadLetter letter = new DeadLetter(task, error, attempts, clock.instant());
        CompletableFuture<Void> lettered = new CompletableFuture<>();
        sendUntilAcknowledged("dead letter", task.taskId(),
                () -> sender.send(topics.deadLetters(), task.taskId(), letter, RequestIdHeader.of(requestId, task.traceparent())),
                FIRST_RESEND, lettered);
        return CompletableFuture.allOf(event, lettered);
    }

    private CompletableFuture<Void> sendOutcome(TaskMessage task, String requestId, TaskEvent event) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        sendUntilAcknowledged(event.event().wireName() + " event", task.taskId(),
                () -> sender.send(topics.taskEvents(), task.taskId(), event, RequestIdHeader.of(requestId, task.traceparent())),
                FIRST_RESEND, done);
        return done;
    }

    private void sendUntilAcknowledged(String what, String taskId, Supplier<CompletableFuture<RecordMetadata>> send,
                                       Duration backoff, CompletableFuture<Void> done) {
        send.get().whenComplete((metadata, error) -> {
            if (error == null) {
                done.complete(null);
                return;
            }
            Throwable cause = Futures.unwrap(error);
            if (!(cause instanceof RetriableException)) {
                LOG.error("{} of task {} not published: {}", what, taskId, cause.toString());
                done.completeExceptionally(cause);
                return;
            }
            LOG.warn("{} of task {} not acknowledged ({}); sending it again in {} ms", what, taskId, cause, backoff.toMillis());
            resends.increment();
            Duration doubled = backoff.multipliedBy(2);
            Duration next = doubled.compareTo(MAX_RESEND) > 0 ? MAX_RESEND : doubled;
            try {
                scheduler.schedule(() -> sendUntilAcknowledged(what, taskId, send, next, done), backoff.toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                done.completeExceptionally(cause);
            }
        });
    }

    private CompletableFuture<Void> send(TaskMessage task, String requestId, TaskEvent event) {
        return sender.send(topics.taskEvents(), task.taskId(), event, RequestIdHeader.of(requestId, task.traceparent()))
                .<Void>thenApply(metadata -> null)
                .whenComplete((ignored, error) -> {
                    if (error != null) {
                        LOG.error("{} event of task {} not published: {}", event.event().wireName(), task.taskId(), error.toString());
                    }
                });
    }

    private void audit(AuditAction action, TaskMessage task, String requestId, String outcome, Map<String, Object> details) {
        audit.entry(action)
                .agent(task.agentId())
                .task(task.taskId())
                .request(requestId)
                .trace(task.traceparent())
                .outcome(outcome)
                .details(details)
                .publish();
    }

    private static void putIfPresent(Map<String, Object> details, String key, Object value) {
        if (value != null) {
            details.put(key, value);
        }
    }
}
