package io.taskgate.ingress.ops;

import io.taskgate.ingress.http.IngressStats;
import io.taskgate.platform.http.JsonResponses;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /api/stats}: this instance's counts since it started. */
public final class StatsHandler implements HttpHandler {
    private final IngressStats stats;

    public StatsHandler(IngressStats stats) {
        this.stats = stats;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ok", true);
        body.putAll(stats.snapshot());
        JsonResponses.send(exchange, StatusCodes.OK, body);
    }
}
