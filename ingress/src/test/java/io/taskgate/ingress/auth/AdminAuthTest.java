package io.taskgate.ingress.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskgate.ingress.http.ApiException;
import io.taskgate.ingress.http.IngressMeters;
import io.taskgate.ingress.testing.TestExchanges;
import io.taskgate.schemas.errors.ErrorCode;
import io.undertow.server.HttpServerExchange;
import org.junit.jupiter.api.Test;

class AdminAuthTest {
    private static final String ADMIN_TOKEN = "admin-token-of-some-length";

    private final SimpleMeterRegistry stats = new SimpleMeterRegistry();
    private final TestExchanges.Audit audit = TestExchanges.audit();
    private final AdminAuth auth = new AdminAuth(ADMIN_TOKEN, audit.log(), stats);

    @Test
    void shouldAdmitTheAdminToken() {
        HttpServerExchange exchange = TestExchanges.withAuthorization("Bearer " + ADMIN_TOKEN);

        assertTrue(auth.isAdmin(exchange));
        assertDoesNotThrow(() -> auth.require(exchange));
    }

    @Test
    void shouldAcceptTheSchemeInAnyCase() {
        assertTrue(auth.isAdmin(TestExchanges.withAuthorization("bearer " + ADMIN_TOKEN)));
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

    private void assertUnauthorized(HttpServerExchange exchange) {
        assertFalse(auth.isAdmin(exchange));
        ApiException e = assertThrows(ApiException.class, () -> auth.require(exchange));
        assertEquals(ErrorCode.UNAUTHORIZED, e.detail().kind());
    }

    private long refused(String reason) {
        return (long) stats.get(IngressMeters.REFUSED).tag("reason", reason).counter().count();
    }
}
