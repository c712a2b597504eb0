package io.taskgate.ingress.edge;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.util.List;

/**
 * CORS for browser callers from the configured origins: a preflight ({@code OPTIONS} with
 * {@code Access-Control-Request-Method}) from an allowed origin is answered here with 204; any
 * other request from one gets the headers that let the page read the answer, errors included.
 * Requests from other origins pass on untouched, without CORS headers, so the browser keeps the
 * answer from the page. Tokens travel in the {@code Authorization} header, never in cookies, so
 * credentials are not allowed.
 */
public final class CorsHandler implements HttpHandler {
    static final HttpString ORIGIN = new HttpString("Origin");
    static final HttpString REQUEST_METHOD = new HttpString("Access-Control-Request-Method");
    static final HttpString ALLOW_ORIGIN = new HttpString("Access-Control-Allow-Origin");
    static final HttpString ALLOW_METHODS = new HttpString("Access-Control-Allow-Methods");
    static final HttpString ALLOW_HEADERS = new HttpString("Access-Control-Allow-Headers");
    static final HttpString EXPOSE_HEADERS = new HttpString("Access-Control-Expose-Headers");
    static final HttpString MAX_AGE = new HttpString("Access-Control-Max-Age");
    static final HttpString VARY = new HttpString("Vary");
    private static final String METHODS = "GET, POST, DELETE";
    private static final String REQUEST_HEADERS = "Authorization, Content-Type, Idempotency-Key, Prefer, X-Request-Id, traceparent, tracestate";
    private static final String EXPOSED = "Location, Retry-After, RateLimit, RateLimit-Policy, X-Request-Id, traceparent";
    private static final String PREFLIGHT_CACHE_S = "600";

    private final List<String> origins;
    private final HttpHandler next;

    public CorsHandler(List<String> origins, HttpHandler next) {
        this.origins = List.copyOf(origins);
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String origin = exchange.getRequestHeaders().getFirst(ORIGIN);
        if (origin == null || origins.isEmpty()) {
            next.handleRequest(exchange);
            return;
        }
        exchange.getResponseHeaders().add(VARY, "Origin");
        if (!allows(origin)) {
            next.handleRequest(exchange);
            return;
        }
        exchange.getResponseHeaders().put(ALLOW_ORIGIN, origins.contains(EdgeSettings.ANY_ORIGIN) ? EdgeSettings.ANY_ORIGIN : origin);
        if (exchange.getRequestMethod().equals(Methods.OPTIONS) && exchange.getRequestHeaders().contains(REQUEST_METHOD)) {
            exchange.getResponseHeaders().put(ALLOW_METHODS, METHODS);
            exchange.getResponseHeaders().put(ALLOW_HEADERS, REQUEST_HEADERS);
            exchange.getResponseHeaders().put(MAX_AGE, PREFLIGHT_CACHE_S);
            exchange.setStatusCode(204);
            return;
        }
        exchange.getResponseHeaders().put(EXPOSE_HEADERS, EXPOSED);
        next.handleRequest(exchange);
    }

    private boolean allows(String origin) {
        return origins.contains(EdgeSettings.ANY_ORIGIN) || origins.stream().anyMatch(origin::equalsIgnoreCase);
    }
}
