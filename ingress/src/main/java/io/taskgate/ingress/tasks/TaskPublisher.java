package io.taskgate.ingress.tasks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.taskgate.ingress.http.ApiException;
import io.taskgate.ingress.http.IngressMeters.Reason;
import io.taskgate.ingress.http.IngressMeters;
import io.taskgate.ingress.status.TaskStatus;
import io.taskgate.ingress.status.TaskView;
import io.taskgate.platform.concurrent.Futures;
import io.taskgate.platform.kafka.KafkaSender;
import io.taskgate.platform.tracing.TraceContext;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import io.taskgate.schemas.tasks.TaskCancellation;
import io.taskgate.schemas.tasks.TaskEvent;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.topics.MessageLimits;
import io.taskgate.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes accepted and cancelled tasks to Kafka. Each step waits for the previous one's ack, and any
 * failure becomes a fast 503 with Retry-After. Sends start, and returned futures complete, on
 * {@code executor}: never on an IO thread, nor on the producer's own thread, where acks arrive.
 * {@code send()} can block for metadata, and doing that on the producer's thread would wait for
 * itself; whatever callers chain on (audit, waiting for the task) would run there too.
 *
 * <p>At most {@code maxPublishing} tasks are being published at once; a task beyond that is refused
 * at once with 503 and {@code Retry-After: 1}. Under more load than the broker and this process can
 * take, the excess is shed in microseconds instead of waiting in a line whose every request answers
 * later and later while holding its connection and memory.
 */
final class TaskPublisher {
    static final String REQUEST_ID_HEADER = "x-request-id";
    private static final Logger LOG = LoggerFactory.getLogger(TaskPublisher.class);
    /** Bounds the two sequential sends, each of which the producer already limits by its delivery timeout. */
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(10);
    private static final long RETRY_AFTER_S = 2;
    private static final long OVERLOADED_RETRY_AFTER_S = 1;

    private final KafkaSender sender;
    private final Topics topics;
    private final Executor executor;
    private final BooleanSupplier kafkaUp;
    private final Clock clock;
    private final Counter unavailable;
    private final Timer acked;
    private final Timer failed;
    private final Semaphore publishing;
    private final int maxPublishing;

    TaskPublisher(KafkaSender sender, Topics topics, Executor executor, BooleanSupplier kafkaUp, int maxPublishing,
                  Clock clock, MeterRegistry metrics) {
        this.kafkaUp = kafkaUp;
        this.sender = sender;
        this.topics = topics;
        this.executor = executor;
        this.clock = clock;
        this.unavailable = IngressMeters.refused(metrics, Reason.UNAVAILABLE);
        this.acked = latency(metrics, "acked");
        this.failed = latency(metrics, "failed");
        this.publishing = new Semaphore(maxPublishing);
        this.maxPublishing = maxPublishing;
        Gauge.builder("taskgate_ingress_tasks_publishing", this, TaskPublisher::inFlight)
                .description("accepted tasks being written to Kafka now (at most " + maxPublishing + "; beyond, POSTs get 503)")
                .register(metrics);
    }

    int inFlight() {
        return maxPublishing - publishing.availablePermits();
    }

    /**
     * The task on {@code tasks.requested}, then its {@code accepted} event (with the fingerprint of
     * its request when it came with an {@code Idempotency-Key}); completes after both acks.
     */
    CompletableFuture<Void> submit(TaskMessage task, String fingerprint) {
        if (!kafkaUp.getAsBoolean()) {
            return CompletableFuture.failedFuture(kafkaDown(task.requestId()));
        }
        if (!publishing.tryAcquire()) {
            return CompletableFuture.failedFuture(overloaded(task.requestId()));
        }
        try {
            return published(task, fingerprint).whenComplete((done, error) -> publishing.release());
        } catch (RuntimeException e) {
            publishing.release();
            throw e;
        }
    }

    private CompletableFuture<Void> published(TaskMessage task, String fingerprint) {
        long started = System.nanoTime();
        return publish(() -> sender.send(topics.requested(), task.agentId(), task, headers(task.requestId(), task.traceparent()),
                        task.createdAt().toEpochMilli()))
                .thenCompose(requested -> publish(() -> sender.send(topics.taskEvents(), task.taskId(),
                        TaskEvent.accepted(task, clock.instant(), fingerprint), headers(task.requestId(), task.traceparent()))))
                .orTimeout(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .handleAsync((metadata, error) -> {
                    (error == null ? acked : failed).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                    if (error != null) {
                        throw refused(task.requestId(), error);
                    }
                    return null;
                }, executor);
    }

    /**
     * Cancels a queued task: first the cancellation workers check before running a task, then the
     * {@code cancelled} event for the status view. A task already cancelled gets its cancellation
     * again, so a retried DELETE repairs a half-done one. Completes with the view as it now is.
     */
    CompletableFuture<TaskView> cancel(TaskView view, String requestId) {
        if (!kafkaUp.getAsBoolean()) {
            return CompletableFuture.failedFuture(kafkaDown(requestId));
        }
        TaskEvent event = TaskEvent.cancelled(view.taskId(), view.agentId(), view.name(), requestId, view.callbackUrl(),
                clock.instant());
        CompletableFuture<RecordMetadata> cancelled = publish(() -> sender.send(topics.cancellations(), view.taskId(),
                new TaskCancellation(view.taskId(), view.agentId(), event.at()), headers(requestId)));
        CompletableFuture<TaskView> done = view.status() == TaskStatus.CANCELLED
                ? cancelled.thenApply(metadata -> view)
                : cancelled.thenCompose(metadata -> publish(() -> sender.send(topics.taskEvents(), view.taskId(), event,
                        headers(requestId)))).thenApply(metadata -> TaskView.reduce(view, event));
        return done.orTimeout(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .handleAsync((next, error) -> {
                    if (error != null) {
                        throw unavailable(requestId, error);
                    }
                    return next;
                }, executor);
    }

    private CompletableFuture<RecordMetadata> publish(Supplier<CompletableFuture<RecordMetadata>> send) {
        return CompletableFuture.supplyAsync(send, executor).thenCompose(Function.identity());
    }

    /**
     * A record Kafka refuses for its size will be refused again, so it is the caller's 413, not a
     * 503 to retry. The limits ({@code MessageLimits}) leave room for the envelope, so only an
     * input that grew when re-serialized can get here.
     */
    private ApiException refused(String requestId, Throwable error) {
        Throwable cause = Futures.unwrap(error);
        if (cause instanceof RecordTooLargeException) {
            LOG.info("request {}: the task is larger than Kafka accepts: {}", requestId, cause.getMessage());
            return new ApiException(ErrorDetail.of(ErrorCode.PAYLOAD_TOO_LARGE,
                    "the task is larger than the queue accepts (" + MessageLimits.MAX_RECORD_BYTES + " bytes); send a smaller input"));
        }
        return unavailable(requestId, error);
    }

    /**
     * Kafka is known to be away: refused before anything is sent, so the answer is immediate, no
     * thread waits on the producer, and nothing sent now can surface later as a task the caller
     * was told was refused.
     */
    private ApiException kafkaDown(String requestId) {
        unavailable.increment();
        LOG.debug("request {}: Kafka is down; refused at once", requestId);
        return new ApiException(ErrorDetail.retryable(ErrorCode.UNAVAILABLE,
                "the task queue (Kafka) is unreachable; retry (an Idempotency-Key makes a retried POST safe)", RETRY_AFTER_S));
    }

    private ApiException overloaded(String requestId) {
        unavailable.increment();
        LOG.debug("request {}: {} tasks are being published already; refused at once", requestId, maxPublishing);
        return new ApiException(ErrorDetail.retryable(ErrorCode.UNAVAILABLE,
                "this ingress instance is at its limit of tasks being queued; retry (an Idempotency-Key makes a retried POST safe)",
                OVERLOADED_RETRY_AFTER_S));
    }

    private ApiException unavailable(String requestId, Throwable error) {
        unavailable.increment();
        LOG.warn("request {}: Kafka did not acknowledge: {}", requestId, error.toString());
        return new ApiException(ErrorDetail.retryable(ErrorCode.UNAVAILABLE,
                "the task queue did not confirm in time; retry (an Idempotency-Key makes a retried POST safe)", RETRY_AFTER_S));
    }

    private static Headers headers(String requestId) {
        return headers(requestId, null);
    }

    /** The request id and, when there is one, the W3C {@code traceparent}: what every service reads from a record. */
    private static Headers headers(String requestId, String traceparent) {
        Headers headers = new RecordHeaders().add(REQUEST_ID_HEADER, requestId.getBytes(StandardCharsets.UTF_8));
        if (traceparent != null) {
            headers.add(TraceContext.HEADER, traceparent.getBytes(StandardCharsets.US_ASCII));
        }
        return headers;
    }

    private static Timer latency(MeterRegistry metrics, String outcome) {
        return Timer.builder("taskgate_ingress_task_publish")
                .description("time from publishing an accepted task until Kafka acknowledged both of its records")
                .tag("outcome", outcome)
                .register(metrics);
    }
}
