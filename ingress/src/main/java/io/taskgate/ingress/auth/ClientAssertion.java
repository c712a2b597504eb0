package io.taskgate.ingress.auth;

import java.time.Instant;

/** A verified client assertion: the agent it speaks for, and its one-time id until it expires. */
public record ClientAssertion(String agentId, String jti, Instant expiresAt) {
}
