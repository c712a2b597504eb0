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
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses (403) clients whose address the policy's {@code ingress.ip_allowlist} does not name.
 * The list is compiled once per policy. A list with an entry that does not compile (it passed no
 * validation of ours) admits nobody rather than everybody.
 */
public final class IpAllowlistHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(IpAllowlistHandler.class);

    private final Supplier<Policy> policy;
    private final Counter blocked;
    private final HttpHandler next;
    private volatile Compiled compiled = new Compiled(List.of(), IpAllowlist.parse(List.of()));

    public IpAllowlistHandler(Supplier<Policy> policy, MeterRegistry metrics, HttpHandler next) {
        this.policy = policy;
        this.blocked = IngressMeters.refused(metrics, Reason.BLOCKED);
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!allowlist().allows(ClientAddress.inet(exchange))) {
            blocked.increment();
            throw new ApiException(ErrorCode.FORBIDDEN, "client address " + ClientAddress.of(exchange) + " is not allowed");
        }
        next.handleRequest(exchange);
    }

    private IpAllowlist allowlist() {
        List<String> entries = policy.get().ingress().ipAllowlist();
        Compiled current = compiled;
        if (current.entries().equals(entries)) {
            return current.allowlist();
        }
        IpAllowlist allowlist;
        try {
            allowlist = IpAllowlist.parse(entries);
        } catch (IllegalArgumentException e) {
            LOG.warn("policy ingress.{}; admitting no client until the policy is fixed", e.getMessage());
            allowlist = IpAllowlist.nobody();
        }
        compiled = new Compiled(entries, allowlist);
        return allowlist;
    }

    private record Compiled(List<String> entries, IpAllowlist allowlist) {
    }
}
