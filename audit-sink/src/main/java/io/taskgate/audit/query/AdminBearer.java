package io.taskgate.audit.query;

import io.taskgate.platform.http.BearerCredentials;
import io.taskgate.platform.http.JsonResponses;
import io.taskgate.platform.http.SecretToken;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.Optional;

/** Lets a request through only with {@code Authorization: Bearer <admin token>}, compared in constant time. */
final class AdminBearer implements HttpHandler {
    private final SecretToken adminToken;
    private final HttpHandler next;

    AdminBearer(String adminToken, HttpHandler next) {
        this.adminToken = new SecretToken(adminToken);
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        Optional<String> token = BearerCredentials.of(exchange);
        if (token.isEmpty()) {
            refuse(exchange, "the audit API needs Authorization: Bearer <admin token>");
            return;
        }
        if (!adminToken.matches(token.get())) {
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
