package io.taskgate.platform.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A shared secret such as the admin token, checked in constant time: both sides are hashed first
 * and the digests compared with {@link MessageDigest#isEqual}, so neither how much of a guess was
 * right nor its length shows in the response time. The secret itself is not kept.
 */
public final class SecretToken {
    private final byte[] digest;

    public SecretToken(String secret) {
        this.digest = digest(secret);
    }

    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(digest(presented), digest);
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "SecretToken[****]";
    }
}
