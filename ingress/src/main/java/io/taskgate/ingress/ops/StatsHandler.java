package io.taskgate.ingress.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.taskgate.ingress.http.IngressMeters;
import io.taskgate.ingress.http.IngressMeters.Reason;
import io.taskgate.ingress.http.RequestMetricsHandler;
import io.taskgate.platform.http.JsonResponses;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/stats}: this instance's counts since it started, read from Micrometer's registry
 * (the same counters {@code /metrics} exposes) so that nothing is counted twice.
 * {@code rate_limited} and {@code blocked} add requests refused at the edge to tasks the policy
 * denied for the same reason; {@code total_requests} counts answered requests.
 */
public final class StatsHandler implements HttpHandler {
    private final MeterRegistry registry;

    public StatsHandler(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ok", true);
        body.putAll(snapshot());
        JsonResponses.send(exchange, StatusCodes.OK, body);
    }

    Map<String, Long> snapshot() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("total_requests", registry.find(RequestMetricsHandler.METER).timers().stream().mapToLong(Timer::count).sum());
        counts.put("accepted", count(IngressMeters.TASKS_ACCEPTED, null));
        counts.put("rejected", count(IngressMeters.TASKS_REJECTED, null));
        counts.put("rate_limited", refusedAndRejected(Reason.RATE_LIMITED));
        counts.put("blocked", refusedAndRejected(Reason.BLOCKED));
        counts.put("unauthorized", count(IngressMeters.REFUSED, Reason.UNAUTHORIZED));
        counts.put("unavailable", count(IngressMeters.REFUSED, Reason.UNAVAILABLE));
        return counts;
    }

    private long refusedAndRejected(Reason reason) {
        return count(IngressMeters.REFUSED, reason) + count(IngressMeters.TASKS_REJECTED, reason);
    }

    private long count(String meter, Reason reason) {
        var search = reason == null ? registry.find(meter) : registry.find(meter).tag("reason", reason.tag());
        return (long) search.counters().stream().mapToDouble(Counter::count).sum();
    }
}
