package io.taskgate.ingress.auth;

import io.undertow.server.HttpServerExchange;
import java.util.Optional;

/** Verifies the access token a request carries. */
public interface Authenticator {

    /**
     * The principal of the request's {@code Authorization: Bearer} access token; empty when the
     * request carries no Authorization header. A token that is malformed, forged, expired, revoked
     * or whose agent is disabled throws {@code ApiException(UNAUTHORIZED)} (and is audited).
     */
    Optional<Principal> authenticate(HttpServerExchange exchange);
}
