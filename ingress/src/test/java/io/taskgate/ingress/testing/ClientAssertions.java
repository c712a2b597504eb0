package io.taskgate.ingress.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Set;
import java.util.UUID;

/**
 * Client assertions made with nimbus-jose-jwt, a JWT library other than the one ingress verifies
 * them with, so a shared misreading of the spec cannot hide. Nimbus signs EdDSA only through Tink;
 * {@link JdkEd25519Signer} lets it sign with the JDK's Ed25519 instead.
 */
public final class ClientAssertions {
    private ClientAssertions() {
    }

    /** The claims an agent signs: iss = sub = its id, aud, iat now, exp in two minutes, a fresh jti. */
    public static JWTClaimsSet.Builder claims(String agentId, String audience, Instant now) {
        return new JWTClaimsSet.Builder()
                .issuer(agentId)
                .subject(agentId)
                .audience(audience)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(120)))
                .jwtID(UUID.randomUUID().toString());
    }

    public static PrivateKey privateKey(String pkcs8Pem) {
        String base64 = pkcs8Pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "");
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(base64)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 PKCS#8 key", e);
        }
    }

    public static String signEdDsa(PrivateKey key, JWTClaimsSet claims) {
        return sign(new JWSHeader(JWSAlgorithm.EdDSA), new JdkEd25519Signer(key), claims);
    }

    /** The classic confusion: HS256 keyed by the agent's public key, which anyone may know. */
    public static String signHs256(byte[] secret, JWTClaimsSet claims) {
        try {
            return sign(new JWSHeader(JWSAlgorithm.HS256), new MACSigner(secret), claims);
        } catch (JOSEException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static String signRs256(JWTClaimsSet claims) {
        try {
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            return sign(new JWSHeader(JWSAlgorithm.RS256), new RSASSASigner((RSAPrivateKey) rsa.generateKeyPair().getPrivate()), claims);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String unsigned(JWTClaimsSet claims) {
        return new PlainJWT(claims).serialize();
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String sign(JWSHeader header, JWSSigner signer, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** A nimbus signer for EdDSA over the JDK's Ed25519. */
    private static final class JdkEd25519Signer implements JWSSigner {
        private final PrivateKey key;
        private final JCAContext context = new JCAContext();

        JdkEd25519Signer(PrivateKey key) {
            this.key = key;
        }

        @Override
        public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
            try {
                Signature signature = Signature.getInstance("Ed25519");
                signature.initSign(key);
                signature.update(signingInput);
                return Base64URL.encode(signature.sign());
            } catch (GeneralSecurityException e) {
                throw new JOSEException("Ed25519 signing failed", e);
            }
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return Set.of(JWSAlgorithm.EdDSA);
        }

        @Override
        public JCAContext getJCAContext() {
            return context;
        }
    }
}
