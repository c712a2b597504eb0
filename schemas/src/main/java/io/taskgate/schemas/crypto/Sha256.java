package io.taskgate.schemas.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 digests. It lives in schemas, the lowest module, because task ids are derived from one
 * and every module above (audit redaction, the audit chain, secret comparison) needs the same.
 */
public final class Sha256 {
    private Sha256() {
    }

    /** The digest of the parts fed in one after another, as if concatenated. */
    public static byte[] digest(byte[]... parts) {
        MessageDigest sha256 = newDigest();
        for (byte[] part : parts) {
            sha256.update(part);
        }
        return sha256.digest();
    }

    /** The digest of the text's UTF-8 bytes. */
    public static byte[] digest(String text) {
        return digest(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The digest as 64 lower-case hex digits. */
    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(digest(bytes));
    }

    /** The digest of the text's UTF-8 bytes as 64 lower-case hex digits. */
    public static String hex(String text) {
        return hex(text.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
