package io.taskgate.ingress.tasks;

import io.taskgate.ingress.auth.Authenticator;
import io.taskgate.ingress.auth.Principal;
import io.taskgate.platform.http.RequestIds;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.Optional;

/**
 * Who is asking, captured on the IO thread before a request goes asynchronous. The raw
 * Authorization header is kept only to forward the request to the instance owning the task, which
 * verifies it again; it is never logged.
 *
 * @param forwarded whether another ingress instance forwarded this request, so it must not travel further
 */
record Caller(Optional<Principal> principal, String authorization, String requestId, boolean forwarded) {
    static final String ANONYMOUS = "anonymous";

    static Caller of(HttpServerExchange exchange, Authenticator authenticator) {
        Optional<Principal> principal = authenticator.authenticate(exchange);
        return new Caller(principal, exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION), RequestIds.of(exchange),
                exchange.getRequestHeaders().contains(OwnerForwarder.FORWARDED_BY));
    }

    String agentId() {
        return principal.map(Principal::agentId).orElse(ANONYMOUS);
    }

    String agentName() {
        return principal.map(Principal::agentName).orElse(ANONYMOUS);
    }

    @Override
    public String toString() {
        return "Caller[agent=" + agentId() + ", authorization=" + (authorization == null ? "none" : "****")
                + ", requestId=" + requestId + ", forwarded=" + forwarded + "]";
    }
}
