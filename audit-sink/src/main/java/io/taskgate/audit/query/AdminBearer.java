package io.taskgate.audit.query;

import io.taskgate.platform.http.JsonResponses;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Lets a request through only with {@code Authorization: Bearer <admin token>}. Both tokens are
 * hashed first and the digests compared with {@link MessageDigest#isEqual}, so the comparison
 * takes the same time whatever the token's length or how much of it is right.
 */
final class AdminBearer implements HttpHandler {
    private static final String SCHEME = "Bearer ";

    private final byte[] expectedDigest;
    private final HttpHandler next;

    AdminBearer(String adminToken, HttpHandler next) {
        this.expectedDigest = digest(adminToken);
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String authorization = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            refuse(exchange, "the audit API needs Authorization: Bearer <admin token>");
            return;
        }
        String token = authorization.substring(SCHEME.length()).trim();
        if (!MessageDigest.isEqual(digest(token), expectedDigest)) {
            refuse(exchange, "the admin token is not valid");
            return;
        }
        next.handleRequest(exchange);
    }

    private static void refuse(HttpServerExchange exchange, String message) {
        exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer");
        JsonResponses.sendError(exchange, ErrorDetail.of(ErrorCode.UNAUTHORIZED, message));
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
