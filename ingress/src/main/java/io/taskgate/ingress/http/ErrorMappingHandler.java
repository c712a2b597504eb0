package io.taskgate.ingress.http;

import io.taskgate.platform.http.JsonResponses;
import io.taskgate.platform.http.RequestIds;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what a handler throws into the error shape: an {@link ApiException} as it says, anything
 * else as a 500 whose message reveals nothing (the cause is logged with the request id).
 */
public final class ErrorMappingHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMappingHandler.class);
    private final HttpHandler next;

    public ErrorMappingHandler(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        try {
            next.handleRequest(exchange);
        } catch (ApiException e) {
            respond(exchange, e.detail());
        } catch (Exception e) {
            LOG.error("request {} failed", RequestIds.of(exchange), e);
            respond(exchange, ErrorDetail.of(ErrorCode.INTERNAL, "internal error; quote request id " + RequestIds.of(exchange)));
        }
    }

    private static void respond(HttpServerExchange exchange, ErrorDetail detail) {
        if (exchange.isResponseStarted()) {
            exchange.endExchange();
            return;
        }
        JsonResponses.sendError(exchange, detail);
    }
}
