package io.taskgate.ingress.http;

import io.taskgate.platform.concurrent.Futures;
import io.taskgate.platform.http.JsonResponses;
import io.taskgate.platform.http.RequestIds;
import io.taskgate.platform.kafka.WriteNotVisibleException;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what a handler throws into the error shape: an {@link ApiException} as it says, a shared
 * state write not visible yet as a retryable 503, anything else as a 500 whose message reveals
 * nothing (the cause is logged with the request id).
 */
public final class ErrorMappingHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMappingHandler.class);
    private static final long SHARED_STATE_RETRY_AFTER_S = 2;
    private final HttpHandler next;

    public ErrorMappingHandler(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        try {
            next.handleRequest(exchange);
        } catch (Exception e) {
            fail(exchange, e);
        }
    }

    /**
     * The error shape for what a handler threw, also when it threw on another thread: an
     * {@link ApiException} (or one wrapped by a future) as it says, anything else as a logged 500.
     */
    public static ErrorDetail detailFor(HttpServerExchange exchange, Throwable error) {
        Throwable cause = Futures.unwrap(error);
        if (cause instanceof ApiException api) {
            return api.detail();
        }
        if (cause instanceof WriteNotVisibleException notVisible) {
            return ErrorDetail.retryable(ErrorCode.UNAVAILABLE, notVisible.getMessage(), SHARED_STATE_RETRY_AFTER_S);
        }
        LOG.error("request {} failed", RequestIds.of(exchange), cause);
        return ErrorDetail.of(ErrorCode.INTERNAL, "internal error; quote request id " + RequestIds.of(exchange));
    }

    /** Answers with the error shape for what a handler threw; safe on any thread of the exchange. */
    public static void fail(HttpServerExchange exchange, Throwable error) {
        respond(exchange, detailFor(exchange, error));
    }

    /** Answers with this error, or ends an exchange whose response had already started. */
    public static void respond(HttpServerExchange exchange, ErrorDetail detail) {
        if (exchange.isResponseStarted()) {
            exchange.endExchange();
            return;
        }
        JsonResponses.sendError(exchange, detail);
    }
}
