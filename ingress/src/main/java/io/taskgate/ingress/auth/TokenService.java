package io.taskgate.ingress.auth;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.IncorrectClaimException;
import io.jsonwebtoken.JwsHeader;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.LocatorAdapter;
import io.jsonwebtoken.MalformedJwtException;
import io.jsonwebtoken.MissingClaimException;
import io.jsonwebtoken.PrematureJwtException;
import io.jsonwebtoken.UnsupportedJwtException;
import io.jsonwebtoken.security.SignatureException;
import java.security.Key;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and verifies access tokens: JWTs signed HS256 under a key id, so a rotation can add a
 * key before tokens are signed with it. Verification is pinned: only HS256 under a known key id
 * is accepted, never {@code none}, another HMAC size or an asymmetric algorithm (which would let a
 * public key, or nothing, stand in for the secret).
 */
public final class TokenService {
    public static final String ALGORITHM = "HS256";
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    static final String TOOLS = "tools";
    static final String ACTIONS = "actions";
    static final String STATE = "state";

    private final String issuer;
    private final String signingKid;
    private final SecretKey signingKey;
    private final Map<String, SecretKey> verificationKeys;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final JwtParser parser;

    /**
     * @param keys every key id this instance accepts with its HMAC secret (at least 32 bytes);
     *             {@code signingKid} must be one of them
     */
    public TokenService(String issuer, String signingKid, Map<String, byte[]> keys, Clock clock) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.clock = Objects.requireNonNull(clock, "clock");
        Map<String, SecretKey> byKid = new HashMap<>();
        keys.forEach((kid, secret) -> {
            if (secret.length < 32) {
                throw new IllegalArgumentException("HMAC key " + kid + " is shorter than 32 bytes");
            }
            byKid.put(kid, new SecretKeySpec(secret, "HmacSHA256"));
        });
        this.verificationKeys = Map.copyOf(byKid);
        this.signingKid = signingKid;
        this.signingKey = verificationKeys.get(signingKid);
        if (signingKey == null) {
            throw new IllegalArgumentException("no key for the signing key id " + signingKid);
        }
        this.parser = Jwts.parser()
                .keyLocator(new PinnedKeyLocator(verificationKeys))
                .requireIssuer(issuer)
                .requireAudience(issuer)
                .clock(() -> Date.from(clock.instant()))
                .clockSkewSeconds(CLOCK_SKEW.toSeconds())
                .build();
    }

    public IssuedToken issue(String agentId, List<String> tools, List<String> actions, Duration lifetime) {
        return issue(agentId, tools, actions, List.of(), lifetime);
    }

    /** A token that also names the state namespaces it may use; the claim is left out when there are none. */
    public IssuedToken issue(String agentId, List<String> tools, List<String> actions, List<String> state, Duration lifetime) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        AccessToken claims = new AccessToken(agentId, tools, actions, state, newTokenId(), now, now.plus(lifetime));
        String compact = Jwts.builder()
                .header().keyId(signingKid).and()
                .issuer(issuer)
                .audience().add(issuer).and()
                .subject(agentId)
                .claim(TOOLS, claims.tools())
                .claim(ACTIONS, claims.actions())
                .claim(STATE, claims.state().isEmpty() ? null : claims.state())
                .issuedAt(Date.from(claims.issuedAt()))
                .expiration(Date.from(claims.expiresAt()))
                .id(claims.tokenId())
                .signWith(signingKey, Jwts.SIG.HS256)
                .compact();
        return new IssuedToken(compact, claims);
    }

    public AccessToken verify(String compact) throws InvalidTokenException {
        Claims claims;
        try {
            claims = parser.parseSignedClaims(compact).getPayload();
        } catch (Refused e) {
            throw new InvalidTokenException(e.reason);
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
        } catch (UnsupportedJwtException e) {
            throw new InvalidTokenException("unsupported");
        } catch (MalformedJwtException e) {
            throw new InvalidTokenException("malformed");
        } catch (JwtException | IllegalArgumentException e) {
            throw new InvalidTokenException("invalid");
        }
        return new AccessToken(required(claims.getSubject(), "sub"), stringList(claims, TOOLS), stringList(claims, ACTIONS),
                claims.get(STATE) == null ? List.of() : stringList(claims, STATE), required(claims.getId(), "jti"), required(claims.getIssuedAt(), "iat").toInstant(),
                required(claims.getExpiration(), "exp").toInstant());
    }

    private String newTokenId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return "jti_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static <T> T required(T value, String claim) throws InvalidTokenException {
        if (value == null || (value instanceof String text && text.isBlank())) {
            throw new InvalidTokenException("missing_" + claim);
        }
        return value;
    }

    private static List<String> stringList(Claims claims, String name) throws InvalidTokenException {
        Object value = claims.get(name);
        if (!(value instanceof List<?> list)) {
            throw new InvalidTokenException("missing_" + name);
        }
        List<String> strings = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof String text)) {
                throw new InvalidTokenException("malformed_" + name);
            }
            strings.add(text);
        }
        return strings;
    }

    /** Gives the parser a key only for HS256 under a known key id; anything else ends verification. */
    private static final class PinnedKeyLocator extends LocatorAdapter<Key> {
        private final Map<String, SecretKey> keys;

        PinnedKeyLocator(Map<String, SecretKey> keys) {
            this.keys = keys;
        }

        @Override
        protected Key locate(JwsHeader header) {
            if (!ALGORITHM.equals(header.getAlgorithm())) {
                throw new Refused("algorithm_not_allowed");
            }
            String kid = header.getKeyId();
            SecretKey key = kid == null ? null : keys.get(kid);
            if (key == null) {
                throw new Refused("unknown_kid");
            }
            return key;
        }
    }

    private static final class Refused extends JwtException {
        private static final long serialVersionUID = 1L;
        private final String reason;

        Refused(String reason) {
            super(reason);
            this.reason = reason;
        }
    }
}
