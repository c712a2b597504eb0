package io.taskgate.schemas.tasks;

import io.taskgate.schemas.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Locale;

/**
 * Task ids. A task posted with an {@code Idempotency-Key} gets an id derived from agent and key,
 * so every ingress instance gives the same task for the same pair and policy-stream can drop the
 * duplicate; other tasks get a random id.
 */
public final class TaskIds {
    private static final String PREFIX = "tsk_";
    private static final char[] BASE32 = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final int ID_CHARS = 26;

    private final SecureRandom random;

    public TaskIds(SecureRandom random) {
        this.random = random;
    }

    public String random() {
        byte[] bytes = new byte[20];
        random.nextBytes(bytes);
        return PREFIX + encode(bytes);
    }

    public static String forIdempotencyKey(String agentId, String idempotencyKey) {
        return PREFIX + encode(Sha256.digest(agentId.getBytes(StandardCharsets.UTF_8), new byte[] {0},
                idempotencyKey.getBytes(StandardCharsets.UTF_8)));
    }

    public static boolean looksValid(String id) {
        return id != null && id.length() == PREFIX.length() + ID_CHARS && id.startsWith(PREFIX)
                && id.substring(PREFIX.length()).chars().allMatch(c -> new String(BASE32).indexOf(c) >= 0);
    }

    private static String encode(byte[] bytes) {
        StringBuilder out = new StringBuilder(ID_CHARS);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5 && out.length() < ID_CHARS) {
                out.append(BASE32[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }
}
