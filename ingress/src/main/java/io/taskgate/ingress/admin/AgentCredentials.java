package io.taskgate.ingress.admin;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The credentials a new agent receives: an Ed25519 key pair (the private key shown once, as a
 * PKCS#8 PEM; the public key kept, as an SPKI PEM) and a {@code whsec_} webhook secret.
 * {@link #toString()} reveals neither secret.
 */
public record AgentCredentials(String privateKeyPem, String publicKeyPem, String webhookSecret) {
    private static final int SECRET_BYTES = 32;

    public static AgentCredentials generate(SecureRandom random) {
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(255, random);
            pair = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every JDK since 15", e);
        }
        return new AgentCredentials(pem("PRIVATE KEY", pair.getPrivate().getEncoded()),
                pem("PUBLIC KEY", pair.getPublic().getEncoded()), newWebhookSecret(random));
    }

    /** A Standard Webhooks secret: {@code whsec_} and 32 random bytes in base64. */
    public static String newWebhookSecret(SecureRandom random) {
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        return "whsec_" + Base64.getEncoder().encodeToString(secret);
    }

    static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    @Override
    public String toString() {
        return "AgentCredentials[publicKeyPem=" + publicKeyPem + ", privateKeyPem=****, webhookSecret=****]";
    }
}
