package io.taskgate.audit.query;

import io.taskgate.platform.http.JsonResponses;
import io.taskgate.platform.http.SecretToken;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/** Lets a request through only with {@code Authorization: Bearer <admin token>}, compared in constant time. */
final class AdminBearer implements HttpHandler {
    private static final String SCHEME = "Bearer ";

    private final SecretToken adminToken;
    private final HttpHandler next;

    AdminBearer(String adminToken, HttpHandler next) {
        this.adminToken = new SecretToken(adminToken);
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
        if (!adminToken.matches(token)) {
            refuse(exchange, "the admin token is not valid");
            return;
        }
        next.handleRequest(exchange);
    }

    private static void refuse(HttpServerExchange exchange, String message) {
        exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer");
        JsonResponses.sendError(exchange, ErrorDetail.of(ErrorCode.UNAUTHORIZED, message));
    }

}
