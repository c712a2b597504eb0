package io.taskgate.ingress.http;

import io.taskgate.schemas.errors.ErrorCode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.PathTemplateMatch;

/** The parameters of the route template a request matched ({@code /api/agents/{id}}). */
public final class PathParams {
    private PathParams() {
    }

    public static String get(HttpServerExchange exchange, String name) {
        PathTemplateMatch match = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
        String value = match == null ? null : match.getParameters().get(name);
        if (value == null || value.isEmpty()) {
            throw new ApiException(ErrorCode.NOT_FOUND, "no such endpoint: " + exchange.getRequestPath());
        }
        return value;
    }
}
