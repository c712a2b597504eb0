package io.taskgate.ingress.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskgate.ingress.http.ApiException;
import io.taskgate.ingress.http.ClientAddress;
import io.taskgate.ingress.http.IngressMeters;
import io.taskgate.ingress.http.IngressMeters.Reason;
import io.taskgate.platform.audit.AuditLog;
import io.taskgate.platform.http.BearerCredentials;
import io.taskgate.platform.http.RequestIds;
import io.taskgate.platform.http.SecretToken;
import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.schemas.errors.ErrorCode;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Map;

/**
 * The admin API's guard: the request's bearer token must equal {@code TASKGATE_ADMIN_TOKEN},
 * compared in constant time so response timing does not reveal how much of a guess was right.
 */
public final class AdminAuth {
    private final SecretToken adminToken;
    private final AuditLog audit;
    private final Counter unauthorized;

    public AdminAuth(String adminToken, AuditLog audit, MeterRegistry metrics) {
        this.adminToken = new SecretToken(adminToken);
        this.audit = audit;
        this.unauthorized = IngressMeters.refused(metrics, Reason.UNAUTHORIZED);
    }

    /** Whether the request carries the admin token. */
    public boolean isAdmin(HttpServerExchange exchange) {
        return BearerCredentials.of(exchange)
                .map(adminToken::matches)
                .orElse(false);
    }

    /** Throws 401 (audited and counted) unless the request carries the admin token. */
    public void require(HttpServerExchange exchange) {
        if (isAdmin(exchange)) {
            return;
        }
        unauthorized.increment();
        audit.entry(AuditAction.AUTH_FAILED)
                .outcome("denied")
                .request(RequestIds.of(exchange))
                .clientIp(ClientAddress.of(exchange))
                .details(Map.of("reason", BearerCredentials.present(exchange) ? "wrong_admin_token" : "missing_admin_token",
                        "credential", "admin_token", "path", exchange.getRequestPath()))
                .publish();
        throw new ApiException(ErrorCode.UNAUTHORIZED, "this endpoint needs the admin token");
    }

    /** {@code next}, reachable only with the admin token. */
    public HttpHandler protect(HttpHandler next) {
        return new Guarded(this, next);
    }

    private static final class Guarded implements HttpHandler {
        private final AdminAuth auth;
        private final HttpHandler next;

        Guarded(AdminAuth auth, HttpHandler next) {
            this.auth = auth;
            this.next = next;
        }

        @Override
        public void handleRequest(HttpServerExchange exchange) throws Exception {
            auth.require(exchange);
            next.handleRequest(exchange);
        }
    }
}
