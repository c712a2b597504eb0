package io.taskgate.ingress.tasks;

import io.taskgate.ingress.http.ErrorMappingHandler;
import io.taskgate.platform.concurrent.Futures;
import io.taskgate.platform.http.RequestIds;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import io.undertow.server.HttpServerExchange;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a handler's asynchronous part and writes its {@link Reply}. The exchange is dispatched
 * first, so Undertow does not end it when the handler returns; the reply is written on the
 * exchange's IO thread whichever thread (Kafka producer, stream thread, HTTP client) finished the work.
 */
public final class Replies {
    private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

    private Replies() {
    }

    /**
     * Dispatches the exchange and starts {@code work} on {@code executor}: the IO thread itself
     * ({@code SameThreadExecutor}) for work that only starts asynchronous steps, the server's
     * worker pool for work that reads the local store first.
     */
    public static void dispatch(HttpServerExchange exchange, Executor executor, Supplier<CompletionStage<Reply>> work) {
        exchange.dispatch(executor, () -> {
            CompletionStage<Reply> reply;
            try {
                reply = work.get();
            } catch (RuntimeException e) {
                reply = CompletableFuture.failedFuture(e);
            }
            reply.whenComplete((done, error) -> exchange.getIoThread().execute(() -> write(exchange, done, error)));
        });
    }

    private static void write(HttpServerExchange exchange, Reply reply, Throwable error) {
        if (exchange.isResponseStarted()) {
            return;
        }
        try {
            (error == null ? reply : forError(exchange, error)).writeTo(exchange);
        } catch (RuntimeException e) {
            LOG.error("request {}: reply could not be written", RequestIds.of(exchange), e);
            exchange.endExchange();
        }
    }

    private static Reply forError(HttpServerExchange exchange, Throwable error) {
        Throwable cause = Futures.unwrap(error);
        if (cause instanceof RejectedExecutionException) {
            return Reply.error(ErrorDetail.retryable(ErrorCode.UNAVAILABLE, "ingress is overloaded; retry", 1));
        }
        return Reply.error(ErrorMappingHandler.detailFor(exchange, cause));
    }
}
