package io.taskgate.platform.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HttpString;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is sane, a new one
 * otherwise. It is echoed on the response and travels on in Kafka headers and the audit trail.
 */
public final class RequestIds implements HttpHandler {
    public static final HttpString HEADER = new HttpString("X-Request-Id");
    private static final AttachmentKey<String> KEY = AttachmentKey.create(String.class);
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final HttpHandler next;

    public RequestIds(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String given = exchange.getRequestHeaders().getFirst(HEADER);
        String id = given != null && SANE.matcher(given).matches() ? given : "req_" + UUID.randomUUID().toString().replace("-", "");
        exchange.putAttachment(KEY, id);
        exchange.getResponseHeaders().put(HEADER, id);
        next.handleRequest(exchange);
    }

    /** The id of this request; present on every exchange that passed through the handler. */
    public static String of(HttpServerExchange exchange) {
        String id = exchange.getAttachment(KEY);
        return id == null ? "req_unknown" : id;
    }
}
