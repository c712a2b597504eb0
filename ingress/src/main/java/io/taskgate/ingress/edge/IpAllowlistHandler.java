package io.taskgate.ingress.edge;

import io.taskgate.ingress.http.ApiException;
import io.taskgate.ingress.http.ClientAddress;
import io.taskgate.ingress.http.IngressStats;
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
    private final IngressStats stats;
    private final HttpHandler next;

    public IpAllowlistHandler(Supplier<Policy> policy, IngressStats stats, HttpHandler next) {
        this.policy = policy;
        this.stats = stats;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!policy.get().ingress().ipAllowlist().allows(ClientAddress.inet(exchange))) {
            stats.blocked();
            throw new ApiException(ErrorCode.FORBIDDEN, "client address " + ClientAddress.of(exchange) + " is not allowed");
        }
        next.handleRequest(exchange);
    }
}
