package io.taskgate.audit.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.taskgate.schemas.errors.ErrorDetail;
import io.taskgate.schemas.json.Json;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes JSON responses, including Taskgate's one error shape. Safe from any thread. */
final class Replies {
    private Replies() {
    }

    static void json(HttpServerExchange exchange, int status, Object body) {
        byte[] bytes;
        try {
            bytes = Json.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response body does not serialize", e);
        }
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(ByteBuffer.wrap(bytes));
    }

    /** {@code {"ok": false, "error": {...}, "request_id": "..."}} with the error's status and {@code Retry-After} if it has one. */
    static void error(HttpServerExchange exchange, ErrorDetail error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ok", false);
        body.put("error", error);
        body.put("request_id", RequestIds.of(exchange));
        if (error.retryAfterS() != null) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString(error.retryAfterS()));
        }
        json(exchange, error.code(), body);
    }
}
