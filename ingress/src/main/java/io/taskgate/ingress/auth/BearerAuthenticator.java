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
import io.taskgate.platform.logging.LogContext;
import io.taskgate.platform.ops.GatewayMeters;
import io.taskgate.schemas.agents.AgentRecord;
import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.identity.ApiKeyRecord;
import io.undertow.server.HttpServerExchange;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Authenticates agents by their access token: the signature and claims ({@link TokenService}),
 * the revocations, then the agent directory, so a revoked token or a disabled agent's tokens stop
 * working as soon as this instance has read the change. A {@code tgk_} bearer is an API key,
 * looked up by its hash. Every check is counted ({@code gateway_token_validations_total{result}});
 * every refusal is audited with its reason (never the token);
 * the caller only learns that the token is not valid.
 */
public final class BearerAuthenticator implements Authenticator {
    static final String REFUSAL = "missing or invalid access token";
    /** The result of a token that passed; a refused one is counted by its (bounded) reason. */
    static final String VALID = "valid";

    private final TokenService tokens;
    private final AgentLookup agents;
    private final Predicate<String> revoked;
    private final ApiKeyLookup keys;
    private final AuditLog audit;
    private final Counter unauthorized;
    private final MeterRegistry metrics;

    /**
     * @param revoked whether a token id (jti) is revoked
     */
    public BearerAuthenticator(TokenService tokens, AgentLookup agents, Predicate<String> revoked, ApiKeyLookup keys,
                               AuditLog audit, MeterRegistry metrics) {
        this.tokens = tokens;
        this.agents = agents;
        this.revoked = revoked;
        this.keys = keys;
        this.audit = audit;
        this.unauthorized = IngressMeters.refused(metrics, Reason.UNAUTHORIZED);
        this.metrics = metrics;
        GatewayMeters.tokenValidations(metrics, VALID);
    }

    @Override
    public Optional<Principal> authenticate(HttpServerExchange exchange) {
        if (!BearerCredentials.present(exchange)) {
            return Optional.empty();
        }
        String token = BearerCredentials.of(exchange).orElseThrow(() -> refuse(exchange, null, "not_bearer"));
        if (ApiKeyLookup.looksLikeKey(token)) {
            ApiKeyRecord key = keys.authenticate(token).orElseThrow(() -> refuse(exchange, null, "unknown_api_key"));
            Role role = Role.fromWireName(key.role()).orElseThrow(() -> refuse(exchange, key.id(), "unknown_role"));
            GatewayMeters.tokenValidations(metrics, VALID).increment();
            return Optional.of(Principal.apiKey(key.id(), key.name(), role));
        }
        AccessToken claims;
        try {
            claims = tokens.verify(token);
        } catch (InvalidTokenException e) {
            throw refuse(exchange, null, e.reason());
        }
        if (revoked.test(claims.tokenId())) {
            throw refuse(exchange, claims.agentId(), "revoked");
        }
        AgentRecord agent = agents.find(claims.agentId())
                .orElseThrow(() -> refuse(exchange, claims.agentId(), "unknown_agent"));
        if (agent.disabled()) {
            throw refuse(exchange, agent.id(), "agent_disabled");
        }
        GatewayMeters.tokenValidations(metrics, VALID).increment();
        LogContext.add(LogContext.AGENT_ID, agent.id());
        return Optional.of(new Principal(agent.id(), agent.name(), Set.copyOf(claims.tools()),
                Set.copyOf(claims.actions()), Set.copyOf(claims.state()), claims.tokenId(), claims.expiresAt()));
    }

    private ApiException refuse(HttpServerExchange exchange, String agentId, String reason) {
        unauthorized.increment();
        GatewayMeters.tokenValidations(metrics, reason).increment();
        audit.entry(AuditAction.AUTH_FAILED)
                .outcome("denied")
                .agent(agentId)
                .request(RequestIds.of(exchange))
                .clientIp(ClientAddress.of(exchange))
                .details(Map.of("reason", reason, "credential", "access_token"))
                .publish();
        return new ApiException(ErrorCode.UNAUTHORIZED, REFUSAL);
    }
}
