package io.taskgate.schemas.identity;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/**
 * One ingress instance's claim of a client assertion's jti, on the {@code assertion-jtis} topic
 * keyed by issuer and jti. The first claim of a key in the log wins; {@code claimId} tells the
 * claimer whether the winner is its own.
 *
 * @param expiresAt when the assertion expires; after it the jti can no longer be presented
 */
public record JtiClaim(String claimId, Instant expiresAt) {
    public static final String TYPE = "jti_claim";
    public static final int VERSION = 1;

    public JtiClaim {
        Objects.requireNonNull(claimId, "claimId");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @JsonProperty("type")
    public String type() {
        return TYPE;
    }

    @JsonProperty("v")
    public int v() {
        return VERSION;
    }
}
