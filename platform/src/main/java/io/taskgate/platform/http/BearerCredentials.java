package io.taskgate.platform.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.Optional;

/**
 * Reads the credentials of an {@code Authorization: Bearer ...} header; the scheme is matched
 * case-insensitively. A credential longer than {@value #MAX_TOKEN_CHARS} characters is none: no
 * token Taskgate issues comes near it, and a huge one is only work for the parser.
 */
public final class BearerCredentials {
    public static final int MAX_TOKEN_CHARS = 8 * 1024;
    private static final String SCHEME = "bearer ";

    private BearerCredentials() {
    }

    /** Whether the request carries an Authorization header at all. */
    public static boolean present(HttpServerExchange exchange) {
        return exchange.getRequestHeaders().contains(Headers.AUTHORIZATION);
    }

    /** The token of a well-formed Bearer header; empty when the header is absent, of another scheme or blank. */
    public static Optional<String> of(HttpServerExchange exchange) {
        return parse(exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION));
    }

    /** The token of an Authorization header value; empty when it is null, of another scheme, blank or too long. */
    public static Optional<String> parse(String header) {
        if (header == null || header.length() <= SCHEME.length() || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Optional.empty();
        }
        String token = header.substring(SCHEME.length()).trim();
        return token.isEmpty() || token.length() > MAX_TOKEN_CHARS ? Optional.empty() : Optional.of(token);
    }
}
