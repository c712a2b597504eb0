package io.taskgate.schemas.identity;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/**
 * A revoked access token, from the compacted {@code revocations} topic keyed by jti. It matters
 * only until {@code expiresAt}, when the token would have stopped working anyway.
 *
 * @param agentId the token's agent, when the revocation named the token itself; null for a bare jti
 */
public record Revocation(String jti, String agentId, Instant expiresAt, Instant revokedAt) {
    public static final String TYPE = "revocation";
    public static final int VERSION = 1;

    public Revocation {
        Objects.requireNonNull(jti, "jti");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
    }

    @JsonProperty("type")
    public String type() {
        return TYPE;
    }

    @JsonProperty("v")
    public int v() {
        return VERSION;
    }

    /** Whether the revoked token could still be presented at {@code now}. */
    public boolean inForceAt(Instant now) {
        return now.isBefore(expiresAt);
    }
}
