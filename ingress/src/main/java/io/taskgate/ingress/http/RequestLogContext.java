package io.taskgate.ingress.http;

import io.taskgate.platform.http.RequestIds;
import io.taskgate.platform.logging.LogContext;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * Puts the request's id and trace id (of the span {@link TraceContexts} gave it, so a trace ingress
 * started is logged too) in the log context while the request is handled on this thread; the
 * handlers add the agent and task ids once they know them.
 */
public final class RequestLogContext implements HttpHandler {
    private final String service;
    private final HttpHandler next;

    public RequestLogContext(String service, HttpHandler next) {
        this.service = service;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        try (LogContext context = LogContext.open(service)) {
            context.put(LogContext.REQUEST_ID, RequestIds.of(exchange))
                    .put(LogContext.TRACE_ID, TraceContexts.of(exchange).traceId());
            next.handleRequest(exchange);
        }
    }
}
