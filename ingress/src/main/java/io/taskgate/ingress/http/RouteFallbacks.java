package io.taskgate.ingress.http;

import io.taskgate.schemas.errors.ErrorCode;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/** What the router answers when no route matches: 404, or 405 when the path exists under another method. */
public final class RouteFallbacks {
    private RouteFallbacks() {
    }

    public static HttpHandler notFound() {
        return new NotFound();
    }

    public static HttpHandler methodNotAllowed() {
        return new MethodNotAllowed();
    }

    private static final class NotFound implements HttpHandler {
        @Override
        public void handleRequest(HttpServerExchange exchange) {
            throw new ApiException(ErrorCode.NOT_FOUND, "no such endpoint: " + exchange.getRequestPath());
        }
    }

    private static final class MethodNotAllowed implements HttpHandler {
        @Override
        public void handleRequest(HttpServerExchange exchange) {
            throw new ApiException(ErrorCode.METHOD_NOT_ALLOWED,
                    exchange.getRequestMethod() + " is not allowed on " + exchange.getRequestPath());
        }
    }
}
