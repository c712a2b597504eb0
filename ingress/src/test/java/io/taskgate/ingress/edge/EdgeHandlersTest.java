package io.taskgate.ingress.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskgate.ingress.http.ApiException;
import io.taskgate.ingress.http.IngressMeters;
import io.taskgate.testing.MutableClock;
import io.taskgate.ingress.testing.TestExchanges;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.policy.IngressRules;
import io.taskgate.schemas.policy.IpAllowlist;
import io.taskgate.schemas.policy.Policy;
import io.taskgate.schemas.policy.RateLimit;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class EdgeHandlersTest {
    private final AtomicReference<Policy> policy = new AtomicReference<>(Policy.defaults());
    private final SimpleMeterRegistry stats = new SimpleMeterRegistry();
    private final AtomicInteger passed = new AtomicInteger();
    private final HttpHandler next = exchange -> passed.incrementAndGet();

    @Test
    void shouldRefuseAClientOutsideTheAllowlist() throws Exception {
        IpAllowlistHandler handler = new IpAllowlistHandler(policy::get, stats, next);
        policy.set(withIngress(new IngressRules(IpAllowlist.parse(List.of("10.0.0.0/8")), null)));

        handler.handleRequest(TestExchanges.from("10.1.2.3"));
        ApiException e = assertThrows(ApiException.class, () -> handler.handleRequest(TestExchanges.from("203.0.113.9")));

        assertEquals(ErrorCode.FORBIDDEN, e.detail().kind());
        assertEquals(1, passed.get());
        assertEquals(1, refused("blocked"));
    }

    @Test
    void shouldFollowPolicyChanges() throws Exception {
        IpAllowlistHandler handler = new IpAllowlistHandler(policy::get, stats, next);
        handler.handleRequest(TestExchanges.from("203.0.113.9"));

        policy.set(withIngress(new IngressRules(IpAllowlist.parse(List.of("127.0.0.1")), null)));

        assertThrows(ApiException.class, () -> handler.handleRequest(TestExchanges.from("203.0.113.9")));
    }

    @Test
    void shouldAnswerTooManyRequestsWithRetryAfter() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        PerIpRateLimitHandler handler = new PerIpRateLimitHandler(policy::get, new PerIpRateLimiter(clock, 100), stats, next);
        policy.set(withIngress(new IngressRules(IpAllowlist.everyone(), new RateLimit(2, Duration.ofSeconds(10)))));

        handler.handleRequest(TestExchanges.from("10.0.0.1"));
        handler.handleRequest(TestExchanges.from("10.0.0.1"));
        HttpServerExchange third = TestExchanges.from("10.0.0.1");
        ApiException e = assertThrows(ApiException.class, () -> handler.handleRequest(third));

        assertEquals(ErrorCode.TOO_MANY_REQUESTS, e.detail().kind());
        assertEquals(5L, e.detail().retryAfterS());
        assertEquals("\"per-ip\";q=2;w=10", third.getResponseHeaders().getFirst("RateLimit-Policy"));
        assertEquals("\"per-ip\";r=0;t=5", third.getResponseHeaders().getFirst("RateLimit"));
        assertEquals(1, refused("rate_limited"));
    }

    private static Policy withIngress(IngressRules rules) {
        Policy defaults = Policy.defaults();
        return new Policy(1, defaults.defaultRateLimit(), null, rules, List.of());
    }

    private long refused(String reason) {
        return (long) stats.get(IngressMeters.REFUSED).tag("reason", reason).counter().count();
    }
}
