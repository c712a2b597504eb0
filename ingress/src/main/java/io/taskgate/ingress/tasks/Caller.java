package io.taskgate.ingress.tasks;

import io.taskgate.ingress.auth.Authenticator;
import io.taskgate.ingress.auth.Principal;
import io.taskgate.ingress.http.ClientAddress;
import io.taskgate.platform.http.RequestIds;
import io.taskgate.schemas.policy.ClientNetwork;
import io.taskgate.schemas.tasks.TaskIds;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.Optional;

/**
 * Who is asking, captured on the IO thread before a request goes asynchronous. The raw
 * Authorization header is kept only to forward the request to the instance owning the task, which
 * verifies it again; it is never logged.
 *
 * @param forwarded whether another ingress instance forwarded this request, so it must not travel further
 * @param clientAddress the client's address as the edge determined it (see {@link ClientAddress})
 */
record Caller(Optional<Principal> principal, String authorization, String requestId, boolean forwarded, String clientAddress) {
    static final String ANONYMOUS = TaskIds.ANONYMOUS;

    static Caller of(HttpServerExchange exchange, Authenticator authenticator) {
        Optional<Principal> principal = authenticator.authenticate(exchange);
        return new Caller(principal, exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION), RequestIds.of(exchange),
                exchange.getRequestHeaders().contains(OwnerForwarder.FORWARDED_BY), ClientAddress.of(exchange));
    }

    String agentId() {
        return principal.map(Principal::agentId).orElse(ANONYMOUS);
    }

    String agentName() {
        return principal.map(Principal::agentName).orElse(ANONYMOUS);
    }

    /**
     * Who an {@code Idempotency-Key} belongs to: the agent, or for a caller without a token its
     * client network, so that two anonymous callers never reach each other's task by key.
     */
    String requester() {
        return principal.map(Principal::agentId).orElseGet(() -> "ip:" + ClientNetwork.of(clientAddress));
    }

    @Override
    public String toString() {
        return "Caller[agent=" + agentId() + ", authorization=" + (authorization == null ? "none" : "****")
                + ", requestId=" + requestId + ", forwarded=" + forwarded + "]";
    }
}
