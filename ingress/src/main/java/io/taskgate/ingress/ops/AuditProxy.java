package io.taskgate.ingress.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskgate.ingress.http.ApiException;
import io.taskgate.ingress.http.IngressMeters;
import io.taskgate.ingress.http.IngressMeters.Reason;
import io.taskgate.platform.http.JsonResponses;
import io.taskgate.platform.http.RequestIds;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * {@code GET /api/audit}: the audit sink answers audit queries; ingress forwards them with their
 * query string, without holding an IO thread while the sink works. Ingress has already checked the
 * caller's right to read the audit trail (the admin token, or an admin, operator or auditor API
 * key), so it speaks to the sink with the admin token the two share, which the sink checks.
 * A sink that does not answer in time is a 503 with {@code Retry-After}.
 */
public final class AuditProxy implements HttpHandler {
    static final String PATH = "/api/audit";
    private static final long RETRY_AFTER_S = 5;

    private final HttpClient client;
    private final URI target;
    private final Duration timeout;
    private final Counter unavailable;
    private final String sinkAuthorization;

    public AuditProxy(HttpClient client, URI auditUrl, String adminToken, Duration timeout, MeterRegistry metrics) {
        this.client = client;
        this.sinkAuthorization = "Bearer " + adminToken;
        this.target = auditUrl.resolve(PATH);
        this.timeout = timeout;
        this.unavailable = IngressMeters.refused(metrics, Reason.UNAVAILABLE);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        HttpRequest request = forwarded(exchange);
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .whenComplete((response, error) -> {
                    if (error != null) {
                        unavailable.increment();
                        JsonResponses.sendError(exchange, ErrorDetail.retryable(ErrorCode.UNAVAILABLE,
                                "the audit sink did not answer; retry shortly", RETRY_AFTER_S));
                        return;
                    }
                    exchange.setStatusCode(response.statusCode());
                    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE,
                            response.headers().firstValue("Content-Type").orElse("application/json"));
                    exchange.getResponseSender().send(ByteBuffer.wrap(response.body()));
                }));
    }

    private HttpRequest forwarded(HttpServerExchange exchange) {
        String query = exchange.getQueryString();
        URI uri;
        try {
            uri = query == null || query.isEmpty() ? target : URI.create(target + "?" + query);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "the query string is not valid");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Accept", "application/json")
                .header(RequestIds.HEADER.toString(), RequestIds.of(exchange))
                .header("Authorization", sinkAuthorization)
                .GET();
        return request.build();
    }
}
