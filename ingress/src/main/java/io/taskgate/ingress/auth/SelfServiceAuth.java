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
import io.taskgate.platform.ops.GatewayMeters;
import io.taskgate.schemas.agents.AgentRecord;
import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.schemas.errors.ErrorCode;
import io.undertow.server.HttpServerExchange;
import java.util.Map;

/**
 * An agent minting its own token: the request's bearer is a client assertion the agent signed
 * ({@link ClientAssertionVerifier}), the agent is enabled, and the assertion's jti has never been
 * used on any instance ({@link OneTimeJtis}). Every refusal is the same 401 to the caller, and
 * audited with its reason; each assertion is counted with the access tokens
 * ({@code gateway_token_validations_total{result}}), so the seed's dashboards see every credential checked.
 */
public final class SelfServiceAuth {
    static final String REFUSAL = "the client assertion is not valid for this agent";

    private final AgentLookup agents;
    private final ClientAssertionVerifier verifier;
    private final OneTimeJtis jtis;
    private final AuditLog audit;
    private final Counter unauthorized;
    private final MeterRegistry metrics;

    public SelfServiceAuth(AgentLookup agents, ClientAssertionVerifier verifier, OneTimeJtis jtis, AuditLog audit,
                           MeterRegistry metrics) {
        this.agents = agents;
        this.verifier = verifier;
        this.jtis = jtis;
        this.audit = audit;
        this.unauthorized = IngressMeters.refused(metrics, Reason.UNAUTHORIZED);
        this.metrics = metrics;
    }

    /** Checks the assertion's signature and claims for the agent {@code agentId}; cheap, no I/O. */
    public ClientAssertion verify(HttpServerExchange exchange, String agentId) {
        String compact = BearerCredentials.of(exchange).orElseThrow(() -> refuse(exchange, agentId, "missing_assertion"));
        AgentRecord agent = agents.find(agentId).orElseThrow(() -> refuse(exchange, null, "unknown_agent"));
        if (agent.disabled()) {
            throw refuse(exchange, agentId, "agent_disabled");
        }
        try {
            return verifier.verify(compact, agent);
        } catch (InvalidTokenException e) {
            throw refuse(exchange, agentId, e.reason());
        }
    }

    /**
     * Uses the assertion's jti up, on every instance; 401 when it was used before. Blocks for one
     * Kafka write, so call it off the IO threads.
     */
    public void consume(HttpServerExchange exchange, ClientAssertion assertion) {
        if (!jtis.claim(assertion.agentId(), assertion.jti(), assertion.expiresAt())) {
            throw refuse(exchange, assertion.agentId(), "replayed_jti");
        }
        AgentRecord agent = agents.find(assertion.agentId()).orElseThrow(() -> refuse(exchange, null, "unknown_agent"));
        if (agent.disabled()) {
            throw refuse(exchange, agent.id(), "agent_disabled");
        }
        GatewayMeters.tokenValidations(metrics, BearerAuthenticator.VALID).increment();
    }

    private ApiException refuse(HttpServerExchange exchange, String agentId, String reason) {
        unauthorized.increment();
        GatewayMeters.tokenValidations(metrics, reason).increment();
        audit.entry(AuditAction.AUTH_FAILED)
                .outcome("denied")
                .agent(agentId)
                .request(RequestIds.of(exchange))
                .clientIp(ClientAddress.of(exchange))
                .details(Map.of("reason", reason, "credential", "client_assertion"))
                .publish();
        return new ApiException(ErrorCode.UNAUTHORIZED, REFUSAL);
    }
}
