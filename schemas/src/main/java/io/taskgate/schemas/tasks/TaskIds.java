package io.taskgate.schemas.tasks;

import io.taskgate.schemas.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Task ids, bound to their owner by a keyed MAC: {@code tsk_} then 16 base32 characters of nonce
 * (80 bits) and 10 of tag (50 bits of HMAC-SHA256 over owner and nonce). Ingress can so tell, before
 * touching any store, whether an id was issued to the caller asking for it: an id of someone else
 * answers exactly as an id never issued, at once. The nonce is random, or for a task posted with an
 * {@code Idempotency-Key} derived from requester and key under the same secret, so every ingress
 * instance gives the same task for the same pair, and nobody without the secret can compute it.
 */
public final class TaskIds {
    /** The owner of tasks posted without a token; their id is their only capability. */
    public static final String ANONYMOUS = "anonymous";
    private static final String PREFIX = "tsk_";
    private static final String BASE32 = "0123456789abcdefghjkmnpqrstvwxyz";
    private static final int NONCE_CHARS = 16;
    private static final int TAG_CHARS = 10;
    private static final int ID_CHARS = NONCE_CHARS + TAG_CHARS;
    private static final byte[] KEY_LABEL = "taskgate task ids v1".getBytes(StandardCharsets.UTF_8);

    private final SecureRandom random;
    private final byte[] key;

    private TaskIds(SecureRandom random, byte[] key) {
        this.random = random;
        this.key = key.clone();
    }

    /** Ids keyed by a secret every ingress instance shares; the id key is derived from it, never the secret itself. */
    public static TaskIds keyedBy(byte[] sharedSecret, SecureRandom random) {
        return new TaskIds(random, hmac(sharedSecret, KEY_LABEL));
    }

    /** A fresh id for a task of {@code owner} (an agent id, or {@link #ANONYMOUS}). */
    public String random(String owner) {
        byte[] nonce = new byte[NONCE_CHARS * 5 / 8];
        random.nextBytes(nonce);
        return withTag(owner, encode(nonce, NONCE_CHARS));
    }

    /**
     * The id of the task {@code requester} posts with {@code idempotencyKey}. The requester is the
     * agent id, or for an anonymous caller its client network, so two callers never share an id.
     */
    public String forIdempotencyKey(String owner, String requester, String idempotencyKey) {
        byte[] nonce = hmac(key, join("idempotency", owner, requester, idempotencyKey));
        return withTag(owner, encode(nonce, NONCE_CHARS));
    }

    /**
     * A deterministic id for a task Taskgate derives itself, such as a workflow step (run, step and
     * attempt), so the same step emitted twice after a crash is one task. It needs no key, so it
     * carries no owner tag an ingress can check: such a task is read through its run, not by id.
     */
    public static String derived(String owner, String key) {
        byte[] digest = Sha256.digest(join("derived", owner, key));
        return PREFIX + encode(digest, ID_CHARS);
    }

    /** Whether {@code id} was issued to {@code owner}; compares in constant time. */
    public boolean isFor(String id, String owner) {
        if (!looksValid(id)) {
            return false;
        }
        String nonce = id.substring(PREFIX.length(), PREFIX.length() + NONCE_CHARS);
        byte[] expected = withTag(owner, nonce).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, id.getBytes(StandardCharsets.US_ASCII));
    }

    public static boolean looksValid(String id) {
        return id != null && id.length() == PREFIX.length() + ID_CHARS && id.startsWith(PREFIX)
                && id.substring(PREFIX.length()).chars().allMatch(c -> BASE32.indexOf(c) >= 0);
    }

    private String withTag(String owner, String nonce) {
        return PREFIX + nonce + encode(hmac(key, join("owner", owner, nonce)), TAG_CHARS);
    }

    private static byte[] join(String... parts) {
        return String.join("\u0000", parts).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static String encode(byte[] bytes, int chars) {
        StringBuilder out = new StringBuilder(chars);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5 && out.length() < chars) {
                out.append(BASE32.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        return out.toString();
    }
}
