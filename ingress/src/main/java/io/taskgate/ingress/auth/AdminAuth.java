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
import io.taskgate.platform.ops.GatewayMeters;
import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.identity.ApiKeyRecord;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The admin API's guard. The bearer is either {@code TASKGATE_ADMIN_TOKEN}, compared in constant
 * time so response timing does not reveal how much of a guess was right, or an API key whose role
 * must hold the route's {@link Right}: no or a wrong credential is 401, a key without the right 403.
 * API keys are counted with the access tokens ({@code gateway_token_validations_total{result}});
 * the admin token is not, as the seed did not count it.
 */
public final class AdminAuth {
    private static final AttachmentKey<AdminCaller> CALLER = AttachmentKey.create(AdminCaller.class);

    private final SecretToken adminToken;
    private final ApiKeyLookup keys;
    private final AuditLog audit;
    private final Counter unauthorized;
    private final Counter forbidden;
    private final MeterRegistry metrics;

    public AdminAuth(String adminToken, ApiKeyLookup keys, AuditLog audit, MeterRegistry metrics) {
        this.adminToken = new SecretToken(adminToken);
        this.keys = keys;
        this.audit = audit;
        this.unauthorized = IngressMeters.refused(metrics, Reason.UNAUTHORIZED);
        this.forbidden = IngressMeters.refused(metrics, Reason.FORBIDDEN);
        this.metrics = metrics;
    }

    /** Whether the request's bearer is an admin credential (the admin token or an API key), valid or not. */
    public boolean presentsAdminCredential(HttpServerExchange exchange) {
        return BearerCredentials.of(exchange).map(bearer -> ApiKeyLookup.looksLikeKey(bearer) || adminToken.matches(bearer))
                .orElse(false);
    }

    /**
     * Who the request acts as, when its credential holds {@code right}; throws 401 or 403
     * (audited and counted) otherwise. The caller is also attached to the exchange.
     */
    public AdminCaller require(HttpServerExchange exchange, Right right) {
        Optional<String> bearer = BearerCredentials.of(exchange);
        if (bearer.isPresent() && adminToken.matches(bearer.get())) {
            return attach(exchange, AdminCaller.ADMIN_TOKEN);
        }
        if (bearer.isPresent() && ApiKeyLookup.looksLikeKey(bearer.get())) {
            ApiKeyRecord key = keys.authenticate(bearer.get()).orElseThrow(() -> refusedKey(exchange, "unknown_api_key"));
            Role role = Role.fromWireName(key.role()).orElseThrow(() -> refusedKey(exchange, "unknown_role"));
            GatewayMeters.tokenValidations(metrics, BearerAuthenticator.VALID).increment();
            if (!role.has(right)) {
                throw forbidden(exchange, key, right);
            }
            return attach(exchange, new AdminCaller(key.id(), role));
        }
        throw unauthorized(exchange, BearerCredentials.present(exchange) ? "wrong_admin_token" : "missing_admin_token");
    }

    /** The caller {@link #protect} let through on this exchange. */
    public static AdminCaller callerOf(HttpServerExchange exchange) {
        AdminCaller caller = exchange.getAttachment(CALLER);
        if (caller == null) {
            throw new IllegalStateException("the route is not guarded by AdminAuth");
        }
        return caller;
    }

    /** {@code next}, reachable only with the admin token or an API key whose role holds {@code right}. */
    public HttpHandler protect(Right right, HttpHandler next) {
        return exchange -> {
            require(exchange, right);
            next.handleRequest(exchange);
        };
    }

    private static AdminCaller attach(HttpServerExchange exchange, AdminCaller caller) {
        exchange.putAttachment(CALLER, caller);
        return caller;
    }

    private ApiException refusedKey(HttpServerExchange exchange, String reason) {
        GatewayMeters.tokenValidations(metrics, reason).increment();
        return unauthorized(exchange, reason);
    }

    private ApiException unauthorized(HttpServerExchange exchange, String reason) {
        unauthorized.increment();
        audit.entry(AuditAction.AUTH_FAILED)
                .outcome("denied")
                .request(RequestIds.of(exchange))
                .clientIp(ClientAddress.of(exchange))
                .details(Map.of("reason", reason, "credential", "admin_token_or_api_key", "path", exchange.getRequestPath()))
                .publish();
        return new ApiException(ErrorCode.UNAUTHORIZED, "this endpoint needs the admin token or an API key");
    }

    private ApiException forbidden(HttpServerExchange exchange, ApiKeyRecord key, Right right) {
        forbidden.increment();
        audit.entry(AuditAction.ACCESS_DENIED)
                .outcome("denied")
                .request(RequestIds.of(exchange))
                .clientIp(ClientAddress.of(exchange))
                .details(Map.of("api_key", key.id(), "role", key.role(), "needs", right.name().toLowerCase(Locale.ROOT),
                        "path", exchange.getRequestPath()))
                .publish();
        return new ApiException(ErrorCode.FORBIDDEN, "an API key of role " + key.role() + " may not do this");
    }
}
