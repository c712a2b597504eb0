package io.taskgate.ingress.edge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskgate.ingress.http.ApiException;
import io.taskgate.ingress.http.ClientAddress;
import io.taskgate.ingress.http.IngressMeters;
import io.taskgate.ingress.http.IngressMeters.Reason;
import io.taskgate.ingress.http.RateLimitHeaders;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import io.taskgate.schemas.policy.Policy;
import io.taskgate.schemas.policy.RateLimit;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.function.Supplier;

/**
 * Answers 429 with {@code Retry-After} and the IETF rate-limit headers when a client network (an
 * IPv4 address, an IPv6 /64) passes the policy's {@code ingress.per_ip_rate_limit}.
 */
public final class PerIpRateLimitHandler implements HttpHandler {
    static final String POLICY_NAME = "per-ip";
    private final Supplier<Policy> policy;
    private final PerIpRateLimiter limiter;
    private final Counter rateLimited;
    private final HttpHandler next;

    public PerIpRateLimitHandler(Supplier<Policy> policy, PerIpRateLimiter limiter, MeterRegistry metrics, HttpHandler next) {
        this.policy = policy;
        this.limiter = limiter;
        this.rateLimited = IngressMeters.refused(metrics, Reason.RATE_LIMITED);
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        RateLimit limit = policy.get().ingress().perIpRateLimit();
        if (limit != null) {
            PerIpRateLimiter.Decision decision = limiter.acquire(ClientAddress.inet(exchange), limit);
            if (!decision.allowed()) {
                rateLimited.increment();
                RateLimitHeaders.state(exchange, POLICY_NAME, limit, 0, decision.retryAfterSeconds());
                throw new ApiException(ErrorDetail.retryable(ErrorCode.TOO_MANY_REQUESTS,
                        "too many requests from this address", decision.retryAfterSeconds()));
            }
        }
        next.handleRequest(exchange);
    }
}
