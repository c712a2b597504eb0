package io.taskgate.ingress.auth;

import java.time.Instant;

/** Where a client assertion's jti is used up, once, across every ingress instance. */
@FunctionalInterface
public interface OneTimeJtis {
    /** True the first time {@code issuer}'s {@code jti} is claimed anywhere; false ever after (until it expired). */
    boolean claim(String issuer, String jti, Instant expiresAt);
}
