package io.taskgate.ingress.auth;

import static io.taskgate.ingress.testing.ClientAssertions.claims;
import static io.taskgate.ingress.testing.ClientAssertions.privateKey;
import static io.taskgate.ingress.testing.ClientAssertions.signEdDsa;
import static io.taskgate.ingress.testing.ClientAssertions.signHs256;
import static io.taskgate.ingress.testing.ClientAssertions.signRs256;
import static io.taskgate.ingress.testing.ClientAssertions.unsigned;
import static io.taskgate.ingress.testing.ClientAssertions.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jwt.JWTClaimsSet;
import io.taskgate.ingress.admin.AgentCredentials;
import io.taskgate.testing.MutableClock;
import io.taskgate.schemas.agents.AgentRecord;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAssertionVerifierTest {
    private static final String ISSUER = "taskgate";
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MutableClock clock = new MutableClock(NOW);
    private final ClientAssertionVerifier verifier = new ClientAssertionVerifier(ISSUER, clock);
    private final AgentCredentials credentials = AgentCredentials.generate(RANDOM);
    private final AgentRecord agent = agent("agt_a", credentials);
    private final PrivateKey key = privateKey(credentials.privateKeyPem());

    @Test
    void shouldAcceptAnAssertionTheAgentSigned() throws Exception {
        JWTClaimsSet claims = claims(agent.id(), ISSUER, NOW).jwtID("jti-1").build();

        ClientAssertion verified = verifier.verify(signEdDsa(key, claims), agent);

        assertEquals(new ClientAssertion("agt_a", "jti-1", NOW.plusSeconds(120)), verified);
    }

    @Test
    void shouldRefuseAnAssertionSignedWithAnotherKey() {
        PrivateKey other = privateKey(AgentCredentials.generate(RANDOM).privateKeyPem());

        assertRefused("bad_signature", signEdDsa(other, claims(agent.id(), ISSUER, NOW).build()));
    }

    @Test
    void shouldRefuseHs256KeyedByThePublicKey() {
        assertRefused("algorithm_not_allowed", signHs256(utf8(agent.publicKey()), claims(agent.id(), ISSUER, NOW).build()));
    }

    @Test
    void shouldRefuseRs256() {
        assertRefused("algorithm_not_allowed", signRs256(claims(agent.id(), ISSUER, NOW).build()));
    }

    @Test
    void shouldRefuseAnUnsignedAssertion() {
        assertRefused("malformed", unsigned(claims(agent.id(), ISSUER, NOW).build()));
    }

    @Test
    void shouldRefuseAnotherAudience() {
        assertRefused("wrong_aud", signEdDsa(key, claims(agent.id(), "another-gateway", NOW).build()));
    }

    @Test
    void shouldRefuseAnotherAgentsIdInSubject() {
        assertRefused("wrong_sub", signEdDsa(key, claims(agent.id(), ISSUER, NOW).subject("agt_b").build()));
    }

    @Test
    void shouldRefuseAnotherIssuer() {
        assertRefused("wrong_iss", signEdDsa(key, claims(agent.id(), ISSUER, NOW).issuer("agt_b").build()));
    }

    @Test
    void shouldRefuseAnExpiryTooFarAhead() throws Exception {
        Instant justInside = NOW.plus(ClientAssertionVerifier.MAX_LIFETIME).plus(ClientAssertionVerifier.CLOCK_SKEW);
        verifier.verify(signEdDsa(key, claims(agent.id(), ISSUER, NOW).expirationTime(Date.from(justInside)).build()), agent);

        assertRefused("exp_too_far", signEdDsa(key, claims(agent.id(), ISSUER, NOW)
                .expirationTime(Date.from(NOW.plus(Duration.ofMinutes(10)))).build()));
    }

    @Test
    void shouldRefuseAnExpiredAssertion() {
        String assertion = signEdDsa(key, claims(agent.id(), ISSUER, NOW).build());
        clock.advance(Duration.ofSeconds(120).plus(ClientAssertionVerifier.CLOCK_SKEW).plusSeconds(1));

        assertRefused("expired", assertion);
    }

    @Test
    void shouldRefuseAnAssertionWithoutExpiry() {
        assertRefused("missing_exp", signEdDsa(key, claims(agent.id(), ISSUER, NOW).expirationTime(null).build()));
    }

    @Test
    void shouldRefuseAnIssuedAtInTheFutureBeyondTheSkew() throws Exception {
        Instant withinSkew = NOW.plus(ClientAssertionVerifier.CLOCK_SKEW);
        verifier.verify(signEdDsa(key, claims(agent.id(), ISSUER, NOW).issueTime(Date.from(withinSkew)).build()), agent);

        assertRefused("iat_in_future", signEdDsa(key, claims(agent.id(), ISSUER, NOW)
                .issueTime(Date.from(NOW.plusSeconds(90))).build()));
    }

    @Test
    void shouldRefuseAnAssertionWithoutJti() {
        assertRefused("missing_jti", signEdDsa(key, claims(agent.id(), ISSUER, NOW).jwtID(null).build()));
    }

    @Test
    void shouldRefuseATamperedPayload() {
        String[] parts = signEdDsa(key, claims(agent.id(), ISSUER, NOW).build()).split("\\.");
        String otherPayload = signEdDsa(key, claims(agent.id(), ISSUER, NOW).jwtID("another").build()).split("\\.")[1];

        assertRefused("bad_signature", parts[0] + "." + otherPayload + "." + parts[2]);
    }

    private void assertRefused(String reason, String assertion) {
        InvalidTokenException e = assertThrows(InvalidTokenException.class, () -> verifier.verify(assertion, agent));
        assertEquals(reason, e.reason());
    }

    private static AgentRecord agent(String id, AgentCredentials credentials) {
        return new AgentRecord(id, "agent-" + id, null, List.of("*"), List.of("*"), NOW, credentials.publicKeyPem(),
                credentials.webhookSecret(), false, null, null);
    }
}
