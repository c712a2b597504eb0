package io.taskgate.ingress.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.ingress.testing.TestExchanges;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CorsHandlerTest {
    private static final String APP = "https://app.example.com";
    private final AtomicInteger passed = new AtomicInteger();

    @Test
    void shouldSetTheHeadersForAnAllowedOrigin() throws Exception {
        HttpServerExchange exchange = request(Methods.POST, APP);

        new CorsHandler(List.of(APP), ex -> passed.incrementAndGet()).handleRequest(exchange);

        assertEquals(1, passed.get());
        assertEquals(APP, exchange.getResponseHeaders().getFirst(CorsHandler.ALLOW_ORIGIN));
        assertTrue(exchange.getResponseHeaders().getFirst(CorsHandler.EXPOSE_HEADERS).contains("Retry-After"));
    }

    @Test
    void shouldAnswerAPreflightFromAnAllowedOrigin() throws Exception {
        HttpServerExchange exchange = request(Methods.OPTIONS, APP);
        exchange.getRequestHeaders().put(CorsHandler.REQUEST_METHOD, "POST");

        new CorsHandler(List.of(APP), ex -> passed.incrementAndGet()).handleRequest(exchange);

        assertEquals(0, passed.get());
        assertEquals(204, exchange.getStatusCode());
        assertTrue(exchange.getResponseHeaders().getFirst(CorsHandler.ALLOW_HEADERS).contains("Authorization"));
        assertTrue(exchange.getResponseHeaders().getFirst(CorsHandler.ALLOW_METHODS).contains("POST"));
    }

    @Test
    void shouldSetNothingForAnotherOriginOrWhenNoneIsConfigured() throws Exception {
        HttpServerExchange other = request(Methods.POST, "https://evil.example.com");
        new CorsHandler(List.of(APP), ex -> passed.incrementAndGet()).handleRequest(other);
        HttpServerExchange unconfigured = request(Methods.POST, APP);
        new CorsHandler(List.of(), ex -> passed.incrementAndGet()).handleRequest(unconfigured);

        assertEquals(2, passed.get());
        assertNull(other.getResponseHeaders().getFirst(CorsHandler.ALLOW_ORIGIN));
        assertFalse(unconfigured.getResponseHeaders().contains(CorsHandler.ALLOW_ORIGIN));
    }

    private static HttpServerExchange request(io.undertow.util.HttpString method, String origin) {
        HttpServerExchange exchange = TestExchanges.from("127.0.0.1");
        exchange.setRequestMethod(method);
        exchange.getRequestHeaders().put(CorsHandler.ORIGIN, origin);
        return exchange;
    }
}
