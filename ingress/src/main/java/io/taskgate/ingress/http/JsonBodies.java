package io.taskgate.ingress.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import io.taskgate.schemas.json.Json;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Reads request bodies without blocking the IO thread: refuses a body of the wrong media type
 * (415) or over the limit (413, as soon as the declared or received length passes it), or that
 * does not parse or passes {@link JsonLimits} (400), each in the error shape. A body that stops
 * before its end (the client reset, or went quiet past the read timeout) is not the caller's body
 * being too large: it gets a 400 if the connection can still carry one. What the continuation
 * throws is answered in the error shape too, since it runs outside the handler chain.
 */
public final class JsonBodies {
    private final long maxBytes;
    private final ObjectMapper mapper;

    public JsonBodies(long maxBytes) {
        this.maxBytes = maxBytes;
        this.mapper = JsonLimits.mapper(maxBytes);
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Calls {@code then} with the parsed body on an IO thread, or answers with the error. */
    public void read(HttpServerExchange exchange, BiConsumer<HttpServerExchange, JsonNode> then) {
        if (!isJson(exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE))) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json");
        }
        receive(exchange, (ex, bytes) -> then.accept(ex, parse(bytes)));
    }

    /** As {@link #read}, but a request without a body reads as {@code {}}. */
    public void readOrEmpty(HttpServerExchange exchange, BiConsumer<HttpServerExchange, JsonNode> then) {
        if (hasNoBody(exchange)) {
            run(exchange, () -> then.accept(exchange, Json.mapper().createObjectNode()));
            return;
        }
        read(exchange, then);
    }

    /**
     * Calls {@code then} with the body as UTF-8 text when its media type is one of {@code mediaTypes}
     * (lower case, without parameters).
     */
    public void readText(HttpServerExchange exchange, Set<String> mediaTypes, BiConsumer<HttpServerExchange, String> then) {
        String mediaType = mediaType(exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE));
        if (!mediaTypes.contains(mediaType)) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send the body as one of " + String.join(", ", mediaTypes.stream().sorted().toList()));
        }
        receive(exchange, (ex, bytes) -> then.accept(ex, utf8(bytes)));
    }

    private void receive(HttpServerExchange exchange, BiConsumer<HttpServerExchange, byte[]> then) {
        long declared = exchange.getRequestContentLength();
        if (declared > maxBytes) {
            throw tooLarge();
        }
        if (declared < 0) {
            receiveChunked(exchange, then);
            return;
        }
        exchange.setMaxEntitySize(maxBytes);
        exchange.getRequestReceiver().receiveFullBytes(
                (ex, bytes) -> run(ex, () -> then.accept(ex, bytes)),
                (ex, error) -> ErrorMappingHandler.respond(ex, error instanceof RequestTooBigException
                        ? tooLarge().detail()
                        : cutShort()));
    }

    /**
     * A body of unknown length is counted here rather than by Undertow's max entity size, which
     * closes the connection past the limit without a word (UT000020): the caller gets its 413.
     */
    private void receiveChunked(HttpServerExchange exchange, BiConsumer<HttpServerExchange, byte[]> then) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        exchange.getRequestReceiver().receivePartialBytes((ex, chunk, last) -> {
            if (body.size() + (long) chunk.length > maxBytes) {
                ex.getRequestReceiver().pause();
                ex.setPersistent(false);
                ErrorMappingHandler.respond(ex, tooLarge().detail());
                return;
            }
            body.writeBytes(chunk);
            if (last) {
                run(ex, () -> then.accept(ex, body.toByteArray()));
            }
        }, (ex, error) -> ErrorMappingHandler.respond(ex, cutShort()));
    }

    private static ErrorDetail cutShort() {
        return ErrorDetail.of(ErrorCode.BAD_REQUEST, "the body ended before it was complete");
    }

    private static void run(HttpServerExchange exchange, Runnable continuation) {
        try {
            continuation.run();
        } catch (RuntimeException e) {
            ErrorMappingHandler.fail(exchange, e);
        }
    }

    /** The body as a JSON tree, or an {@link ApiException} (400) saying why it is not JSON or passes the limits. */
    public JsonNode parse(byte[] bytes) {
        JsonNode body;
        try {
            body = mapper.readTree(bytes);
        } catch (JacksonException e) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "body is not valid JSON: " + e.getOriginalMessage());
        } catch (NumberFormatException e) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "body holds a number out of range");
        } catch (IOException e) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "body could not be read");
        }
        if (body == null || body.isMissingNode()) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "body is empty; send a JSON object");
        }
        return body;
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "body is not valid UTF-8");
        }
    }

    private ApiException tooLarge() {
        return new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "body is larger than " + maxBytes + " bytes");
    }

    private static boolean hasNoBody(HttpServerExchange exchange) {
        return exchange.getRequestContentLength() == 0
                || (exchange.getRequestContentLength() < 0 && !exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING));
    }

    static String mediaType(String contentType) {
        return contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }

    static boolean isJson(String contentType) {
        String mediaType = mediaType(contentType);
        return mediaType.equals("application/json") || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
    }
}
