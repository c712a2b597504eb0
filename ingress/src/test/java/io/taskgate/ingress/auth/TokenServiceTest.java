package io.taskgate.ingress.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import io.taskgate.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class TokenServiceTest {
    /** 64 bytes: long enough that HS512 would accept it, so only the pinning refuses HS512 tokens. */
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final String ISSUER = "taskgate";
    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final TokenService service = new TokenService(ISSUER, "k1", Map.of("k1", SECRET), clock);

    @Test
    void shouldVerifyTokenItIssued() throws Exception {
        IssuedToken issued = service.issue("agt_1", List.of("serpapi"), List.of("search"), Duration.ofHours(1));

        AccessToken verified = service.verify(issued.compact());

        assertEquals("agt_1", verified.agentId());
        assertEquals(issued.claims().tokenId(), verified.tokenId());
        assertEquals(START, verified.issuedAt());
        assertEquals(START.plus(Duration.ofHours(1)), verified.expiresAt());
    }

    @Test
    void shouldCarryTheStateNamespacesOnlyWhenGiven() throws Exception {
        AccessToken withState = service.verify(service.issue("agt_1", List.of("*"), List.of("*"), List.of("notes", "cache"),
                Duration.ofHours(1)).compact());
        assertEquals(List.of("notes", "cache"), withState.state());
        AccessToken without = service.verify(service.issue("agt_1", List.of("*"), List.of("*"), Duration.ofHours(1)).compact());
        assertEquals(List.of(), without.state());
    }

    @Test
    void shouldRoundTripScopeClaims() throws Exception {
        IssuedToken issued = service.issue("agt_1", List.of("internal.cache", "http_fetch", "*"), List.of("clear", "get"),
                Duration.ofMinutes(5));

        AccessToken verified = service.verify(issued.compact());

        assertEquals(List.of("internal.cache", "http_fetch", "*"), verified.tools());
        assertEquals(List.of("clear", "get"), verified.actions());
    }

    @Test
    void shouldRejectForgedSignature() {
        TokenService forger = new TokenService(ISSUER, "k1", Map.of("k1", "another secret of at least thirty-two bytes".getBytes(StandardCharsets.UTF_8)), clock);
        String forged = forger.issue("agt_1", List.of("*"), List.of("*"), Duration.ofHours(1)).compact();

        assertRejected("bad_signature", forged);
    }

    @Test
    void shouldRejectTamperedClaims() {
        String[] parts = service.issue("agt_1", List.of("serpapi"), List.of("search"), Duration.ofHours(1)).compact().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("serpapi", "*");
        String tampered = parts[0] + "." + base64Url(payload) + "." + parts[2];

        assertRejected("bad_signature", tampered);
    }

    @Test
    void shouldRejectAlgNoneToken() {
        String header = base64Url("{\"alg\":\"none\",\"kid\":\"k1\"}");
        String claims = base64Url("{\"iss\":\"taskgate\",\"aud\":\"taskgate\",\"sub\":\"agt_1\",\"tools\":[\"*\"],\"actions\":[\"*\"],"
                + "\"iat\":" + START.getEpochSecond() + ",\"exp\":" + START.plusSeconds(3600).getEpochSecond() + ",\"jti\":\"x\"}");

        assertRejected("unsupported", header + "." + claims + ".");
    }

    @Test
    void shouldRejectHs512TokenSignedWithTheSameKey() {
        String token = validClaims().signWith(new SecretKeySpec(SECRET, "HmacSHA512"), Jwts.SIG.HS512).compact();

        assertRejected("algorithm_not_allowed", token);
    }

    @Test
    void shouldRejectRs256Token() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        String token = validClaims().signWith(rsa.generateKeyPair().getPrivate(), Jwts.SIG.RS256).compact();

        assertRejected("algorithm_not_allowed", token);
    }

    @Test
    void shouldRejectEdDsaToken() throws Exception {
        String token = validClaims().signWith(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate(), Jwts.SIG.EdDSA)
                .compact();

        assertRejected("algorithm_not_allowed", token);
    }

    @Test
    void shouldRejectUnknownKeyId() {
        TokenService otherKid = new TokenService(ISSUER, "k2", Map.of("k2", SECRET), clock);

        assertRejected("unknown_kid", otherKid.issue("agt_1", List.of("*"), List.of("*"), Duration.ofHours(1)).compact());
    }

    @Test
    void shouldRejectTokenWithoutKeyId() {
        String token = Jwts.builder().issuer(ISSUER).audience().add(ISSUER).and().subject("agt_1")
                .claim("tools", List.of("*")).claim("actions", List.of("*")).id("jti_1")
                .issuedAt(Date.from(START)).expiration(Date.from(START.plusSeconds(600)))
                .signWith(new SecretKeySpec(SECRET, "HmacSHA256"), Jwts.SIG.HS256).compact();

        assertRejected("unknown_kid", token);
    }

    @Test
    void shouldAcceptTokensOfEveryKnownKeyAfterRotation() throws Exception {
        byte[] next = "the next key, also at least thirty-two bytes long".getBytes(StandardCharsets.UTF_8);
        TokenService rotated = new TokenService(ISSUER, "k2", Map.of("k1", SECRET, "k2", next), clock);
        String old = service.issue("agt_1", List.of("*"), List.of("*"), Duration.ofHours(1)).compact();
        String fresh = rotated.issue("agt_2", List.of("*"), List.of("*"), Duration.ofHours(1)).compact();

        assertEquals("agt_1", rotated.verify(old).agentId());
        assertEquals("agt_2", rotated.verify(fresh).agentId());
        assertRejected("unknown_kid", fresh);
    }

    @Test
    void shouldSignWithTheCurrentKidOnlyAndRefuseAKidItDoesNotKnow() throws Exception {
        byte[] next = "the next key, also at least thirty-two bytes long".getBytes(StandardCharsets.UTF_8);
        TokenService rotated = new TokenService(ISSUER, "k2", Map.of("k1", SECRET, "k2", next), clock);
        String fresh = rotated.issue("agt_1", List.of("*"), List.of("*"), Duration.ofHours(1)).compact();
        String header = new String(Base64.getUrlDecoder().decode(fresh.split("\\.")[0]), StandardCharsets.UTF_8);

        assertTrue(header.contains("\"kid\":\"k2\""), header);
        TokenService retired = new TokenService(ISSUER, "k3", Map.of("k3", next), clock);
        assertEquals("unknown_kid", assertThrows(InvalidTokenException.class,
                () -> retired.verify(service.issue("agt_1", List.of("*"), List.of("*"), Duration.ofHours(1)).compact())).reason());
    }

    @Test
    void shouldRejectExpiredTokenBeyondTheClockSkew() throws Exception {
        String token = service.issue("agt_1", List.of("*"), List.of("*"), Duration.ofMinutes(1)).compact();

        clock.advance(Duration.ofMinutes(1).plus(TokenService.CLOCK_SKEW).minusSeconds(1));
        assertEquals("agt_1", service.verify(token).agentId());

        clock.advance(Duration.ofSeconds(2));
        assertRejected("expired", token);
    }

    @Test
    void shouldRejectWrongIssuer() {
        TokenService otherIssuer = new TokenService("someone-else", "k1", Map.of("k1", SECRET), clock);

        assertRejected("wrong_iss", otherIssuer.issue("agt_1", List.of("*"), List.of("*"), Duration.ofHours(1)).compact());
    }

    @Test
    void shouldRejectWrongAudience() {
        String token = Jwts.builder().header().keyId("k1").and().issuer(ISSUER).audience().add("another-gateway").and()
                .subject("agt_1").claim("tools", List.of("*")).claim("actions", List.of("*")).id("jti_1")
                .issuedAt(Date.from(START)).expiration(Date.from(START.plusSeconds(600)))
                .signWith(new SecretKeySpec(SECRET, "HmacSHA256"), Jwts.SIG.HS256).compact();

        assertRejected("wrong_aud", token);
    }

    @Test
    void shouldRejectTokenWithoutScopeClaims() {
        String token = Jwts.builder().header().keyId("k1").and().issuer(ISSUER).audience().add(ISSUER).and()
                .subject("agt_1").id("jti_1").issuedAt(Date.from(START)).expiration(Date.from(START.plusSeconds(600)))
                .signWith(new SecretKeySpec(SECRET, "HmacSHA256"), Jwts.SIG.HS256).compact();

        assertRejected("missing_tools", token);
    }

    @Test
    void shouldRejectTokenWithoutExpiry() {
        String token = Jwts.builder().header().keyId("k1").and().issuer(ISSUER).audience().add(ISSUER).and()
                .subject("agt_1").claim("tools", List.of("*")).claim("actions", List.of("*")).id("jti_1")
                .issuedAt(Date.from(START))
                .signWith(new SecretKeySpec(SECRET, "HmacSHA256"), Jwts.SIG.HS256).compact();

        assertRejected("missing_exp", token);
    }

    @Test
    void shouldRejectGarbage() {
        assertRejected("malformed", "not.a.token");
        assertRejected("");
    }

    private static JwtBuilder validClaims() {
        return Jwts.builder().header().keyId("k1").and().issuer(ISSUER).audience().add(ISSUER).and().subject("agt_1")
                .claim("tools", List.of("*")).claim("actions", List.of("*")).id("jti_1")
                .issuedAt(Date.from(START)).expiration(Date.from(START.plusSeconds(600)));
    }

    private void assertRejected(String token) {
        assertThrows(InvalidTokenException.class, () -> service.verify(token));
    }

    private void assertRejected(String reason, String token) {
        InvalidTokenException e = assertThrows(InvalidTokenException.class, () -> service.verify(token));
        assertEquals(reason, e.reason());
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
