package io.taskgate.workers.tools.route;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Tells whether a request came from the Taskgate gateway: X-Gateway-Signature over "<timestamp>.<body>". */
public final class GatewaySignatureVerifier {
    private static final long TOLERANCE_S = 300;

    public static boolean verify(String secret, String timestamp, String signature, String body, long nowEpochSeconds)
            throws Exception {
        if (timestamp == null || signature == null || Math.abs(nowEpochSeconds - Long.parseLong(timestamp)) > TOLERANCE_S) {
            return false;
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
        String expected = "v1=" + HexFormat.of().formatHex(digest);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), signature.getBytes(StandardCharsets.UTF_8));
    }
}
