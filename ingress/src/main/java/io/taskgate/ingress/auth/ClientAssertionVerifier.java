package io.taskgate.ingress.auth;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.IncorrectClaimException;
import io.jsonwebtoken.JwsHeader;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.LocatorAdapter;
import io.jsonwebtoken.MissingClaimException;
import io.jsonwebtoken.PrematureJwtException;
import io.jsonwebtoken.security.SignatureException;
import io.taskgate.schemas.agents.AgentRecord;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Objects;

/**
 * Verifies the client assertion an agent signs to mint its own token (RFC 7523
 * {@code private_key_jwt}): EdDSA under the agent's own Ed25519 public key and no other algorithm
 * (so neither {@code none}, nor an HMAC keyed by the public key, nor RSA), {@code iss} = {@code sub}
 * = the agent id, {@code aud} = this gateway's issuer, an {@code exp} in the future and at most
 * {@link #MAX_LIFETIME} away, an {@code iat} not in the future, and a {@code jti}. Each check allows
 * {@link #CLOCK_SKEW} of clock difference. Whether the jti was used before is not its job.
 */
public final class ClientAssertionVerifier {
    public static final String ALGORITHM = "EdDSA";
    public static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    static final int MAX_JTI_LENGTH = 256;

    private final String audience;
    private final Clock clock;

    public ClientAssertionVerifier(String audience, Clock clock) {
        this.audience = Objects.requireNonNull(audience, "audience");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The assertion's claims when {@code agent} signed it for this gateway, now. */
    public ClientAssertion verify(String compact, AgentRecord agent) throws InvalidTokenException {
        PublicKey key = publicKey(agent);
        Claims claims;
        try {
            claims = Jwts.parser()
                    .keyLocator(new PinnedKey(key))
                    .requireIssuer(agent.id())
                    .requireSubject(agent.id())
                    .requireAudience(audience)
                    .clock(() -> Date.from(clock.instant()))
                    .clockSkewSeconds(CLOCK_SKEW.toSeconds())
                    .build()
                    .parseSignedClaims(compact)
                    .getPayload();
        } catch (PinnedKey.Refused e) {
            throw new InvalidTokenException("algorithm_not_allowed");
        } catch (ExpiredJwtException e) {
            throw new InvalidTokenException("expired");
        } catch (PrematureJwtException e) {
            throw new InvalidTokenException("not_yet_valid");
        } catch (IncorrectClaimException e) {
            throw new InvalidTokenException("wrong_" + e.getClaimName());
        } catch (MissingClaimException e) {
            throw new InvalidTokenException("missing_" + e.getClaimName());
        } catch (SignatureException e) {
            throw new InvalidTokenException("bad_signature");
        } catch (JwtException | IllegalArgumentException e) {
            throw new InvalidTokenException("malformed");
        }
        return checkTimesAndId(claims, agent.id());
    }

    private ClientAssertion checkTimesAndId(Claims claims, String agentId) throws InvalidTokenException {
        Instant now = clock.instant();
        Date exp = claims.getExpiration();
        if (exp == null) {
            throw new InvalidTokenException("missing_exp");
        }
        if (exp.toInstant().isAfter(now.plus(MAX_LIFETIME).plus(CLOCK_SKEW))) {
            throw new InvalidTokenException("exp_too_far");
        }
        Date iat = claims.getIssuedAt();
        if (iat != null && iat.toInstant().isAfter(now.plus(CLOCK_SKEW))) {
            throw new InvalidTokenException("iat_in_future");
        }
        String jti = claims.getId();
        if (jti == null || jti.isBlank()) {
            throw new InvalidTokenException("missing_jti");
        }
        if (jti.length() > MAX_JTI_LENGTH) {
            throw new InvalidTokenException("jti_too_long");
        }
        return new ClientAssertion(agentId, jti, exp.toInstant());
    }

    private static PublicKey publicKey(AgentRecord agent) throws InvalidTokenException {
        if (agent.publicKey() == null) {
            throw new InvalidTokenException("agent_has_no_key");
        }
        String base64 = agent.publicKey().replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "");
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new InvalidTokenException("agent_key_unreadable");
        }
    }

    /** Gives the parser the agent's key for EdDSA only; any other algorithm ends verification. */
    private static final class PinnedKey extends LocatorAdapter<Key> {
        private final PublicKey key;

        PinnedKey(PublicKey key) {
            this.key = key;
        }

        @Override
        protected Key locate(JwsHeader header) {
            if (!ALGORITHM.equals(header.getAlgorithm())) {
                throw new Refused();
            }
            return key;
        }

        private static final class Refused extends JwtException {
            private static final long serialVersionUID = 1L;

            Refused() {
                super("algorithm_not_allowed");
            }
        }
    }
}
