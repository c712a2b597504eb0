package io.taskgate.ingress.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.PathTemplateMatch;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Times every request in {@code taskgate_http_requests} (whose count {@code /api/stats} reports),
 * tagged with the route template (not the path, whose ids would explode the series), the method
 * and the status, once the response is complete.
 */
public final class RequestMetricsHandler implements HttpHandler {
    public static final String METER = "taskgate_http_requests";
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH");

    private final MeterRegistry registry;
    private final HttpHandler next;

    public RequestMetricsHandler(MeterRegistry registry, HttpHandler next) {
        this.registry = registry;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        long started = System.nanoTime();
        exchange.addExchangeCompleteListener((done, nextListener) -> {
            try {
                record(done, System.nanoTime() - started);
            } finally {
                nextListener.proceed();
            }
        });
        next.handleRequest(exchange);
    }

    private void record(HttpServerExchange exchange, long nanos) {
        PathTemplateMatch match = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
        String method = exchange.getRequestMethod().toString();
        Timer.builder(METER)
                .description("HTTP requests ingress answered")
                .tag("route", match == null ? "unmatched" : match.getMatchedTemplate())
                .tag("method", METHODS.contains(method) ? method : "OTHER")
                .tag("status", Integer.toString(exchange.getStatusCode()))
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}
