package io.taskgate.platform.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.taskgate.schemas.errors.ErrorDetail;
import io.taskgate.schemas.json.Json;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes JSON bodies, including the one error shape of Taskgate. Safe to call from any thread. */
public final class JsonResponses {
    private JsonResponses() {
    }

    public static void send(HttpServerExchange exchange, int status, Object body) {
        byte[] bytes;
        try {
            bytes = Json.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response body does not serialize", e);
        }
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(java.nio.ByteBuffer.wrap(bytes));
    }

    /**
     * {@code {"ok": false, "error": {...}, "request_id": "..."}} with the error's HTTP status, and
     * {@code Retry-After} when the error says when to retry.
     */
    public static void sendError(HttpServerExchange exchange, ErrorDetail error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ok", false);
        body.put("error", error);
        body.put("request_id", RequestIds.of(exchange));
        if (error.retryAfterS() != null) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString(error.retryAfterS()));
        }
        send(exchange, error.code(), body);
    }
}
