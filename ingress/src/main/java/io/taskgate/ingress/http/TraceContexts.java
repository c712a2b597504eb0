package io.taskgate.ingress.http;

import io.taskgate.platform.tracing.TraceContext;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HttpString;
import java.security.SecureRandom;

/**
 * Gives every request its span of a W3C trace: a child of the caller's {@code traceparent} when
 * that is valid, else the first span of a new trace. The span is what ingress hands on (Kafka
 * headers, the task, audit records) and is echoed in the response's {@code traceparent}, so a
 * caller that sent none learns the trace its task runs in.
 */
public final class TraceContexts implements HttpHandler {
    public static final HttpString HEADER = new HttpString(TraceContext.HEADER);
    private static final AttachmentKey<TraceContext> KEY = AttachmentKey.create(TraceContext.class);

    private final SecureRandom random;
    private final HttpHandler next;

    public TraceContexts(SecureRandom random, HttpHandler next) {
        this.random = random;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        TraceContext span = TraceContext.parse(exchange.getRequestHeaders().getFirst(HEADER))
                .map(caller -> caller.child(random))
                .orElseGet(() -> TraceContext.start(random));
        exchange.putAttachment(KEY, span);
        exchange.getResponseHeaders().put(HEADER, span.header());
        next.handleRequest(exchange);
    }

    /** The request's span; a request that did not pass the handler starts a trace of its own. */
    public static TraceContext of(HttpServerExchange exchange) {
        TraceContext span = exchange.getAttachment(KEY);
        return span != null ? span : TraceContext.start(new SecureRandom());
    }
}
