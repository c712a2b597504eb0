package io.taskgate.ingress.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskgate.ingress.http.IngressMeters.Reason;
import io.taskgate.platform.concurrent.BoundedExecutor;
import io.taskgate.platform.http.JsonResponses;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs work that blocks (key generation, waiting for Kafka to acknowledge and for a view to apply
 * a write) off the IO threads, on a small bounded pool. When the pool and its queue are full the
 * request is answered at once with 503 and {@code Retry-After}, rather than queueing without end.
 * Work may throw {@link ApiException}; it is answered in the error shape like anywhere else.
 */
public final class BlockingWork implements AutoCloseable {
    private static final long RETRY_AFTER_S = 1;

    /** Work that may block, run on the pool with the exchange dispatched. */
    @FunctionalInterface
    public interface Work {
        void run(HttpServerExchange exchange) throws Exception;
    }

    private final ExecutorService pool;
    private final Counter unavailable;

    public BlockingWork(int threads, int queueCapacity, MeterRegistry metrics) {
        this.pool = BoundedExecutor.create("ingress-blocking", threads, queueCapacity, metrics);
        this.unavailable = IngressMeters.refused(metrics, Reason.UNAVAILABLE);
    }

    /**
     * Hands the exchange to the pool. From inside a handler the submission happens as soon as the
     * handler returns; from a callback (a body that was read) it happens now.
     */
    public void submit(HttpServerExchange exchange, Work work) {
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> {
            try {
                pool.execute(() -> run(exchange, work));
            } catch (RejectedExecutionException e) {
                unavailable.increment();
                JsonResponses.sendError(exchange, ErrorDetail.retryable(ErrorCode.UNAVAILABLE,
                        "ingress is busy; retry shortly", RETRY_AFTER_S));
            }
        });
    }

    private static void run(HttpServerExchange exchange, Work work) {
        try {
            work.run(exchange);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            ErrorMappingHandler.fail(exchange, e);
        }
    }

    @Override
    public void close() {
        BoundedExecutor.stop(pool, Duration.ofSeconds(5));
    }
}
