package io.taskgate.platform.secrets;

import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.Setting;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/** The key-encryption key of the secrets file: 32 bytes given base64-encoded in {@code TASKGATE_KEK_BASE64}. */
public final class SecretsKey {
    static final int KEY_BYTES = 32;
    static final int CHECK_BYTES = 16;
    private static final byte[] CHECK_LABEL = "taskgate secrets key check v1".getBytes(StandardCharsets.US_ASCII);

    private final SecretKey key;

    private SecretsKey(byte[] bytes) {
        this.key = new SecretKeySpec(bytes, "AES");
    }

    public static SecretsKey fromBase64(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64 == null ? "" : base64.trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Setting.KEK_BASE64, "must be base64 (of 32 random bytes)");
        }
        if (bytes.length != KEY_BYTES) {
            throw new ConfigException(Setting.KEK_BASE64,
                    "must be base64 of exactly 32 bytes (AES-256), got " + bytes.length + " bytes");
        }
        return new SecretsKey(bytes);
    }

    SecretKey aesKey() {
        return key;
    }

    /**
     * A fingerprint of this key stored in the file's header, so a wrong key is told apart from an
     * altered file. A MAC of a fixed label reveals nothing about the key.
     */
    byte[] check() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            return Arrays.copyOf(mac.doFinal(CHECK_LABEL), CHECK_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "SecretsKey[****]";
    }
}
