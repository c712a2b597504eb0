package io.taskgate.ingress.auth;

import java.util.Objects;

/** An HMAC key of access tokens under its key id. {@link #toString()} shows the id only. */
public record TokenKey(String kid, byte[] secret) {

    public TokenKey {
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(secret, "secret");
    }

    @Override
    public String toString() {
        return "TokenKey[kid=" + kid + ", secret=****]";
    }
}
