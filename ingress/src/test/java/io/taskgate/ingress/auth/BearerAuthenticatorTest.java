package io.taskgate.ingress.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskgate.ingress.http.ApiException;
import io.taskgate.ingress.http.IngressMeters;
import io.taskgate.testing.MutableClock;
import io.taskgate.platform.ops.GatewayMeters;
import io.taskgate.ingress.testing.TestExchanges;
import io.taskgate.schemas.agents.AgentRecord;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.tasks.TaskName;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import io.taskgate.schemas.identity.ApiKeyRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BearerAuthenticatorTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final TokenService tokens = new TokenService("taskgate", "k1",
            Map.of("k1", "a test secret that is long enough to sign".getBytes(StandardCharsets.UTF_8)), clock);
    private final Map<String, AgentRecord> agents = new HashMap<>();
    private final SimpleMeterRegistry stats = new SimpleMeterRegistry();
    private final TestExchanges.Audit audit = TestExchanges.audit();
    private final Set<String> revoked = new HashSet<>();
    private final Map<String, ApiKeyRecord> keys = new HashMap<>();
    private final BearerAuthenticator authenticator = new BearerAuthenticator(tokens,
            id -> Optional.ofNullable(agents.get(id)), revoked::contains, presented -> Optional.ofNullable(keys.get(presented)),
            audit.log(), stats);

    @Test
    void shouldRefuseARevokedToken() {
        agents.put("agt_1", agent("agt_1"));
        IssuedToken issued = tokens.issue("agt_1", List.of("*"), List.of("*"), Duration.ofHours(1));
        authenticator.authenticate(TestExchanges.withAuthorization("Bearer " + issued.compact())).orElseThrow();

        revoked.add(issued.claims().tokenId());

        assertUnauthorized("Bearer " + issued.compact());
        assertTrue(audit.published().get(0).contains("revoked"));
    }

    @Test
    void shouldReturnTheRoleOfAnApiKey() {
        keys.put("tgk_service", new ApiKeyRecord("key_1", "billing", "service", "hash", Instant.EPOCH));

        Principal principal = authenticator.authenticate(TestExchanges.withAuthorization("Bearer tgk_service")).orElseThrow();

        assertTrue(principal.isApiKey());
        assertEquals("key_1", principal.agentId());
        assertTrue(principal.has(Right.CALL_INTERNAL));
        assertFalse(principal.allows(TaskName.parse("echo.run")));
        assertEquals(1.0, validations("valid"));
    }

    @Test
    void shouldRefuseAnUnknownApiKey() {
        assertUnauthorized("Bearer tgk_deleted");
        assertTrue(audit.published().get(0).contains("unknown_api_key"));
        assertFalse(audit.published().get(0).contains("tgk_deleted"));
        assertEquals(1.0, validations("unknown_api_key"));
        assertEquals(0.0, validations("valid"));
    }

    private double validations(String result) {
        return stats.get(GatewayMeters.TOKEN_VALIDATIONS).tag("result", result).counter().count();
    }

    @Test
    void shouldReturnThePrincipalOfAValidToken() {
        agents.put("agt_1", agent("agt_1"));
        String token = tokens.issue("agt_1", List.of("serpapi"), List.of("search"), Duration.ofHours(1)).compact();

        Principal principal = authenticator.authenticate(TestExchanges.withAuthorization("Bearer " + token)).orElseThrow();

        assertEquals("agt_1", principal.agentId());
        assertEquals("research-bot", principal.agentName());
        assertTrue(principal.allows(TaskName.parse("serpapi.search")));
        assertFalse(principal.allows(TaskName.parse("serpapi.delete")));
    }

    @Test
    void shouldReturnNothingWithoutAnAuthorizationHeader() {
        assertTrue(authenticator.authenticate(TestExchanges.withAuthorization(null)).isEmpty());
    }

    @Test
    void shouldRefuseTheTokensOfADisabledAgent() {
        agents.put("agt_1", agent("agt_1").disable());
        String token = tokens.issue("agt_1", List.of("*"), List.of("*"), Duration.ofHours(1)).compact();

        assertUnauthorized("Bearer " + token);
        assertTrue(audit.published().get(0).contains("agent_disabled"));
    }

    @Test
    void shouldRefuseTheTokensOfAnUnknownAgent() {
        String token = tokens.issue("agt_gone", List.of("*"), List.of("*"), Duration.ofHours(1)).compact();

        assertUnauthorized("Bearer " + token);
        assertTrue(audit.published().get(0).contains("unknown_agent"));
    }

    @Test
    void shouldAuditAnInvalidTokenWithoutTheToken() {
        agents.put("agt_1", agent("agt_1"));
        String token = tokens.issue("agt_1", List.of("*"), List.of("*"), Duration.ofMinutes(1)).compact();
        clock.advance(Duration.ofHours(1));

        assertUnauthorized("Bearer " + token);

        String record = audit.published().get(0);
        assertTrue(record.contains("auth.failed"));
        assertTrue(record.contains("expired"));
        assertFalse(record.contains(token.substring(token.lastIndexOf('.') + 1)));
        assertEquals(1, refused("unauthorized"));
    }

    @Test
    void shouldRefuseAnotherScheme() {
        assertUnauthorized("Basic dXNlcjpwYXNz");
    }

    private void assertUnauthorized(String authorization) {
        ApiException e = assertThrows(ApiException.class,
                () -> authenticator.authenticate(TestExchanges.withAuthorization(authorization)));
        assertEquals(ErrorCode.UNAUTHORIZED, e.detail().kind());
        assertEquals(BearerAuthenticator.REFUSAL, e.detail().message());
    }

    private static AgentRecord agent(String id) {
        return new AgentRecord(id, "research-bot", null, List.of("*"), List.of("*"), Instant.EPOCH, "pem", "whsec_x", false, null, null);
    }

    private long refused(String reason) {
        return (long) stats.get(IngressMeters.REFUSED).tag("reason", reason).counter().count();
    }
}
