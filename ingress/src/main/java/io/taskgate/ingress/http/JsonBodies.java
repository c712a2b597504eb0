package io.taskgate.ingress.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import io.taskgate.schemas.json.Json;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * Reads a JSON request body without blocking the IO thread: refuses a body that is not JSON (415)
 * or over the limit (413, as soon as the declared or received length passes it), or that does not
 * parse (400), each in the error shape.
 */
public final class JsonBodies {
    private final long maxBytes;

    public JsonBodies(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Calls {@code then} with the parsed body on an IO thread, or answers with the error. */
    public void read(HttpServerExchange exchange, BiConsumer<HttpServerExchange, JsonNode> then) {
        String contentType = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        if (!isJson(contentType)) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json");
        }
        long declared = exchange.getRequestContentLength();
        if (declared > maxBytes) {
            throw tooLarge();
        }
        exchange.setMaxEntitySize(maxBytes);
        exchange.getRequestReceiver().receiveFullBytes(
                (ex, bytes) -> {
                    JsonNode body;
                    try {
                        body = Json.mapper().readTree(bytes);
                    } catch (JacksonException e) {
                        JsonResponses.sendError(ex, ErrorDetail.of(ErrorCode.BAD_REQUEST,
                                "body is not valid JSON: " + e.getOriginalMessage()));
                        return;
                    } catch (IOException e) {
                        JsonResponses.sendError(ex, ErrorDetail.of(ErrorCode.BAD_REQUEST, "body could not be read"));
                        return;
                    }
                    if (body == null || body.isMissingNode()) {
                        JsonResponses.sendError(ex, ErrorDetail.of(ErrorCode.BAD_REQUEST, "body is empty; send a JSON object"));
                        return;
                    }
                    try {
                        then.accept(ex, body);
                    } catch (ApiException e) {
                        JsonResponses.sendError(ex, e.detail());
                    }
                },
                (ex, error) -> {
                    if (ex.isResponseStarted()) {
                        ex.endExchange();
                    } else {
                        JsonResponses.sendError(ex, tooLarge().detail());
                    }
                });
    }

    private ApiException tooLarge() {
        return new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "body is larger than " + maxBytes + " bytes");
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json") || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
    }
}
