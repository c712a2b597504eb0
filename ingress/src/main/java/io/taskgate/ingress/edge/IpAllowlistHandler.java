package io.taskgate.ingress.edge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskgate.ingress.http.ApiException;
import io.taskgate.ingress.http.ClientAddress;
import io.taskgate.ingress.http.IngressMeters;
import io.taskgate.ingress.http.IngressMeters.Reason;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.policy.Policy;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.function.Supplier;

/**
 * Refuses (403) clients whose address the policy's {@code ingress.ip_allowlist} does not name.
 * The policy parser compiled the list, so every entry a policy holds is one this can apply.
 */
public final class IpAllowlistHandler implements HttpHandler {
    private final Supplier<Policy> policy;
    private final Counter blocked;
    private final HttpHandler next;

    public IpAllowlistHandler(Supplier<Policy> policy, MeterRegistry metrics, HttpHandler next) {
        this.policy = policy;
        this.blocked = IngressMeters.refused(metrics, Reason.BLOCKED);
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!policy.get().ingress().ipAllowlist().allows(ClientAddress.inet(exchange))) {
            blocked.increment();
            throw new ApiException(ErrorCode.FORBIDDEN, "client address " + ClientAddress.of(exchange) + " is not allowed");
        }
        next.handleRequest(exchange);
    }
}
