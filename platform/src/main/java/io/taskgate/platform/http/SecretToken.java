package io.taskgate.platform.http;

import io.taskgate.schemas.crypto.Sha256;
import java.security.MessageDigest;

/**
 * A shared secret such as the admin token, checked in constant time: both sides are hashed first
 * and the digests compared with {@link MessageDigest#isEqual}, so neither how much of a guess was
 * right nor its length shows in the response time. The secret itself is not kept.
 */
public final class SecretToken {
    private final byte[] digest;

    public SecretToken(String secret) {
        this.digest = Sha256.digest(secret);
    }

    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(Sha256.digest(presented), digest);
    }


    @Override
    public String toString() {
        return "SecretToken[****]";
    }
}
