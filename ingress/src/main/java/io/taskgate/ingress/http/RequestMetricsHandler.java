package io.taskgate.ingress.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.taskgate.platform.ops.GatewayMeters;
import io.taskgate.schemas.tasks.TaskName;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.PathTemplateMatch;
import io.undertow.util.StatusCodes;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Times every request in {@code taskgate_http_requests} (whose count {@code /api/stats} reports),
 * tagged with the route template (not the path, whose ids would explode the series), the method
 * and the status, once the response is complete; task requests also in the seed gateway's
 * {@code gateway_requests_total} and {@code gateway_request_duration_ms}.
 */
public final class RequestMetricsHandler implements HttpHandler {
    public static final String METER = "taskgate_http_requests";
    /** The route of a task request, which the seed gateway's {@code gateway_requests_total} counts by tool and action. */
    public static final String TASK_ROUTE = "/__runner/task/{name}";
    private static final TaskName UNKNOWN = new TaskName("unknown", "unknown");
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH");

    private final MeterRegistry registry;
    private final HttpHandler next;

    public RequestMetricsHandler(MeterRegistry registry, HttpHandler next) {
        this.registry = registry;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        long started = System.nanoTime();
        exchange.addExchangeCompleteListener((done, nextListener) -> {
            try {
                record(done, System.nanoTime() - started);
            } finally {
                nextListener.proceed();
            }
        });
        next.handleRequest(exchange);
    }

    private void record(HttpServerExchange exchange, long nanos) {
        PathTemplateMatch match = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
        String method = exchange.getRequestMethod().toString();
        if (match != null && TASK_ROUTE.equals(match.getMatchedTemplate())) {
            TaskName task = knownTask(match.getParameters().get("name"), exchange.getStatusCode());
            GatewayMeters.request(registry, task.tool(), task.action(), exchange.getStatusCode(), nanos / 1_000_000.0);
        }
        Timer.builder(METER)
                .description("HTTP requests ingress answered")
                .tag("route", match == null ? "unmatched" : match.getMatchedTemplate())
                .tag("method", METHODS.contains(method) ? method : "OTHER")
                .tag("status", Integer.toString(exchange.getStatusCode()))
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * A name ingress answered 404 for is not in the catalog: any caller can make one up,
     * so it is counted as {@code unknown} rather than growing a series per invented name.
     */
    private static TaskName knownTask(String name, int status) {
        if (name == null || status == StatusCodes.NOT_FOUND || !TaskName.isValid(name)) {
            return UNKNOWN;
        }
        return TaskName.parse(name);
    }
}
