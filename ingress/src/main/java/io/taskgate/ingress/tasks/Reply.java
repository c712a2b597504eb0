package io.taskgate.ingress.tasks;

import io.taskgate.ingress.status.TaskStatus;
import io.taskgate.platform.http.JsonResponses;
import io.taskgate.platform.http.RequestIds;
import io.taskgate.schemas.errors.ErrorDetail;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An answer worked out asynchronously, written on the exchange's IO thread by {@link Replies}. */
@FunctionalInterface
public interface Reply {
    /** Response headers of the owner instance passed back to the caller; the rest are hop-by-hop or ours. */
    List<HttpString> RELAYED_HEADERS = List.of(Headers.CONTENT_TYPE, Headers.RETRY_AFTER, Headers.LOCATION);

    void writeTo(HttpServerExchange exchange);

    static Reply json(int status, Object body) {
        return exchange -> JsonResponses.send(exchange, status, body);
    }

    /** {@code 202 Accepted} for a task Kafka acknowledged. */
    static Reply accepted(String taskId) {
        String statusUrl = "/__runner/tasks/" + taskId;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ok", true);
        body.put("task_id", taskId);
        body.put("status", TaskStatus.QUEUED.wireName());
        body.put("status_url", statusUrl);
        return exchange -> {
            exchange.getResponseHeaders().put(Headers.LOCATION, statusUrl);
            JsonResponses.send(exchange, 202, body);
        };
    }

    static Reply error(ErrorDetail error) {
        return exchange -> JsonResponses.sendError(exchange, error);
    }

    /** The error shape for a task that ended in an error, with its id so the caller can look it up. */
    static Reply taskError(ErrorDetail error, String taskId) {
        return exchange -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("ok", false);
            body.put("error", error);
            body.put("task_id", taskId);
            body.put("request_id", RequestIds.of(exchange));
            if (error.retryAfterS() != null) {
                exchange.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString(error.retryAfterS()));
            }
            JsonResponses.send(exchange, error.code(), body);
        };
    }

    /** The owner instance's answer, as it gave it. */
    static Reply relay(HttpResponse<byte[]> response) {
        return exchange -> {
            for (HttpString header : RELAYED_HEADERS) {
                response.headers().firstValue(header.toString())
                        .ifPresent(value -> exchange.getResponseHeaders().put(header, value));
            }
            exchange.setStatusCode(response.statusCode());
            exchange.getResponseSender().send(ByteBuffer.wrap(response.body()));
        };
    }
}
