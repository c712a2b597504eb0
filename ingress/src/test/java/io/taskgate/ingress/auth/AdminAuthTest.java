package io.taskgate.ingress.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskgate.ingress.http.ApiException;
import io.taskgate.ingress.http.IngressMeters;
import io.taskgate.ingress.testing.TestExchanges;
import io.taskgate.platform.ops.GatewayMeters;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.identity.ApiKeyRecord;
import io.undertow.server.HttpServerExchange;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminAuthTest {
    private static final String ADMIN_TOKEN = "admin-token-of-some-length";

    private final SimpleMeterRegistry stats = new SimpleMeterRegistry();
    private final TestExchanges.Audit audit = TestExchanges.audit();
    private final Map<String, ApiKeyRecord> keys = new HashMap<>();
    private final AdminAuth auth = new AdminAuth(ADMIN_TOKEN, presented -> Optional.ofNullable(keys.get(presented)), audit.log(), stats);

    @Test
    void shouldAdmitTheAdminTokenToEveryRight() {
        for (Right right : Right.values()) {
            HttpServerExchange exchange = TestExchanges.withAuthorization("Bearer " + ADMIN_TOKEN);

            assertEquals("admin_token", auth.require(exchange, right).describe());
            assertEquals("admin_token", AdminAuth.callerOf(exchange).describe());
        }
    }

    @Test
    void shouldAcceptTheSchemeInAnyCase() {
        assertEquals(Role.ADMIN, auth.require(TestExchanges.withAuthorization("bearer " + ADMIN_TOKEN), Right.MANAGE).role());
    }

    @Test
    void shouldRejectAWrongToken() {
        assertUnauthorized(TestExchanges.withAuthorization("Bearer " + ADMIN_TOKEN + "x"));
        assertUnauthorized(TestExchanges.withAuthorization("Bearer " + ADMIN_TOKEN.substring(1)));
        assertUnauthorized(TestExchanges.withAuthorization("Basic " + ADMIN_TOKEN));
        assertEquals(3, refused("unauthorized"));
    }

    @Test
    void shouldRejectAMissingTokenAndAuditIt() {
        assertUnauthorized(TestExchanges.withAuthorization(null));

        assertEquals(1, audit.published().size());
        assertTrue(audit.published().get(0).contains("missing_admin_token"));
        assertFalse(audit.published().get(0).contains(ADMIN_TOKEN));
    }

    @Test
    void shouldNeverAuditTheTokenThatWasTried() {
        assertUnauthorized(TestExchanges.withAuthorization("Bearer guess-" + ADMIN_TOKEN));

        assertTrue(audit.published().get(0).contains("wrong_admin_token"));
        assertFalse(audit.published().get(0).contains("guess-"));
    }

    @Test
    void shouldAdmitAKeyToTheRightsOfItsRoleOnly() {
        keys.put("tgk_operator", key("key_op", Role.OPERATOR));

        assertEquals("key_op", auth.require(bearer("tgk_operator"), Right.READ_ADMIN).describe());
        assertEquals("key_op", auth.require(bearer("tgk_operator"), Right.READ_AUDIT).describe());
        assertForbidden(bearer("tgk_operator"), Right.MANAGE);
        assertEquals(1, refused("forbidden"));
        assertTrue(audit.published().get(0).contains("access.denied"));
        assertFalse(audit.published().get(0).contains("tgk_operator"));
    }

    @Test
    void shouldLetAnAuditorReadTheAuditTrailOnly() {
        keys.put("tgk_auditor", key("key_au", Role.AUDITOR));

        assertEquals(Role.AUDITOR, auth.require(bearer("tgk_auditor"), Right.READ_AUDIT).role());
        assertForbidden(bearer("tgk_auditor"), Right.READ_ADMIN);
        assertForbidden(bearer("tgk_auditor"), Right.MANAGE);
    }

    @Test
    void shouldKeepAServiceKeyOutOfTheAdminApi() {
        keys.put("tgk_service", key("key_sv", Role.SERVICE));

        assertForbidden(bearer("tgk_service"), Right.READ_ADMIN);
        assertForbidden(bearer("tgk_service"), Right.READ_AUDIT);
    }

    @Test
    void shouldRefuseAnUnknownKeyAsUnauthorized() {
        assertUnauthorized(bearer("tgk_unknown"));
        assertTrue(audit.published().get(0).contains("unknown_api_key"));
        assertFalse(audit.published().get(0).contains("tgk_unknown"));
        assertEquals(1.0, stats.get(GatewayMeters.TOKEN_VALIDATIONS).tag("result", "unknown_api_key").counter().count());
    }

    @Test
    void shouldCountAKeyThatLacksTheRightAsAValidCredential() {
        keys.put("tgk_auditor", new ApiKeyRecord("key_2", "books", "auditor", "hash", Instant.EPOCH));

        assertForbidden(bearer("tgk_auditor"), Right.MANAGE);
        auth.require(bearer(ADMIN_TOKEN), Right.MANAGE);

        assertEquals(1.0, stats.get(GatewayMeters.TOKEN_VALIDATIONS).tag("result", "valid").counter().count());
    }

    private void assertUnauthorized(HttpServerExchange exchange) {
        ApiException e = assertThrows(ApiException.class, () -> auth.require(exchange, Right.READ_AUDIT));
        assertEquals(ErrorCode.UNAUTHORIZED, e.detail().kind());
    }

    private void assertForbidden(HttpServerExchange exchange, Right right) {
        ApiException e = assertThrows(ApiException.class, () -> auth.require(exchange, right));
        assertEquals(ErrorCode.FORBIDDEN, e.detail().kind());
    }

    private static HttpServerExchange bearer(String key) {
        return TestExchanges.withAuthorization("Bearer " + key);
    }

    private static ApiKeyRecord key(String id, Role role) {
        return new ApiKeyRecord(id, "name-" + id, role.wireName(), "hash-" + id, Instant.EPOCH);
    }

    private long refused(String reason) {
        return (long) stats.get(IngressMeters.REFUSED).tag("reason", reason).counter().count();
    }
}
