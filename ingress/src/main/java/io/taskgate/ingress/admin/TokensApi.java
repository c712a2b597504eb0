package io.taskgate.ingress.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskgate.ingress.auth.AdminAuth;
import io.taskgate.ingress.auth.AdminCaller;
import io.taskgate.ingress.auth.ClientAssertion;
import io.taskgate.ingress.auth.Right;
import io.taskgate.ingress.auth.SelfServiceAuth;
import io.taskgate.ingress.http.BlockingWork;
import io.taskgate.schemas.topics.Topics;
import io.taskgate.ingress.auth.Authenticator;
import io.taskgate.ingress.auth.IssuedToken;
import io.taskgate.ingress.auth.Principal;
import io.taskgate.ingress.auth.TokenService;
import io.taskgate.ingress.http.ApiException;
import io.taskgate.ingress.http.ClientAddress;
import io.taskgate.ingress.http.IngressMeters;
import io.taskgate.ingress.http.IngressMeters.Reason;
import io.taskgate.ingress.http.JsonBodies;
import io.taskgate.ingress.http.PathParams;
import io.taskgate.platform.audit.AuditLog;
import io.taskgate.platform.http.JsonResponses;
import io.taskgate.platform.http.RequestIds;
import io.taskgate.schemas.agents.AgentRecord;
import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.state.StateLimits;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.StatusCodes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Access tokens: {@code POST /api/agents/{id}/tokens} issues one, its scope at most the agent's,
 * to an admin credential or to the agent itself presenting a client assertion it signed; and
 * {@code POST /api/validate} tells a token's holder what it allows.
 */
public final class TokensApi {
    static final long DEFAULT_EXPIRES_IN_S = 3600;
    static final long MIN_EXPIRES_IN_S = 60;
    static final long MAX_EXPIRES_IN_S = Topics.MAX_TOKEN_LIFETIME.toSeconds();

    private final AgentDirectory directory;
    private final TokenService tokens;
    private final Authenticator authenticator;
    private final AdminAuth admin;
    private final SelfServiceAuth selfService;
    private final JsonBodies bodies;
    private final BlockingWork blocking;
    private final AuditLog audit;
    private final Counter unauthorized;

    public TokensApi(AgentDirectory directory, TokenService tokens, Authenticator authenticator, AdminAuth admin,
                     SelfServiceAuth selfService, JsonBodies bodies, BlockingWork blocking, AuditLog audit, MeterRegistry metrics) {
        this.directory = directory;
        this.tokens = tokens;
        this.authenticator = authenticator;
        this.admin = admin;
        this.selfService = selfService;
        this.bodies = bodies;
        this.blocking = blocking;
        this.audit = audit;
        this.unauthorized = IngressMeters.refused(metrics, Reason.UNAUTHORIZED);
    }

    public void addRoutes(RoutingHandler routes) {
        routes.post("/api/agents/{id}/tokens", this::mint)
                .post("/api/validate", this::validate);
    }

    /**
     * The admin token and API keys are told apart from a client assertion by their form, so an
     * admin credential that fails is reported as such, and an assertion never reaches the admin check.
     */
    private void mint(HttpServerExchange exchange) {
        if (admin.presentsAdminCredential(exchange)) {
            AdminCaller caller = admin.require(exchange, Right.MANAGE);
            bodies.readOrEmpty(exchange, (ex, body) -> respond(ex, scope(ex, body), caller.describe()));
            return;
        }
        ClientAssertion assertion = selfService.verify(exchange, PathParams.get(exchange, "id"));
        bodies.readOrEmpty(exchange, (ex, body) -> {
            Scope scope = scope(ex, body);
            blocking.submit(ex, done -> {
                selfService.consume(done, assertion);
                respond(done, scope, "client_assertion");
            });
        });
    }

    /** What a token is asked for, checked against its agent. */
    private record Scope(AgentRecord agent, List<String> tools, List<String> actions, List<String> state, long expiresIn) {
    }

    private Scope scope(HttpServerExchange exchange, JsonNode body) {
        RequestFields.object(body);
        String id = PathParams.get(exchange, "id");
        AgentRecord agent = directory.find(id).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no agent " + id));
        if (agent.disabled()) {
            throw new ApiException(ErrorCode.CONFLICT, "agent " + id + " is disabled");
        }
        List<String> tools = TokenScope.narrow(RequestFields.names(body, "tools", RequestFields.TOOL), agent.tools(), "tool");
        List<String> actions = TokenScope.narrow(RequestFields.names(body, "actions", RequestFields.ACTION), agent.actions(), "action");
        long expiresIn = RequestFields.wholeNumber(body, "expires_in").orElse(DEFAULT_EXPIRES_IN_S);
        if (expiresIn < MIN_EXPIRES_IN_S || expiresIn > MAX_EXPIRES_IN_S) {
            throw RequestFields.bad("expires_in must be between " + MIN_EXPIRES_IN_S + " and " + MAX_EXPIRES_IN_S + " seconds");
        }
        List<String> state = RequestFields.names(body, "state", StateLimits.NAMESPACE).orElse(List.of());
        return new Scope(agent, tools, actions, state, expiresIn);
    }

    private void respond(HttpServerExchange exchange, Scope scope, String issuedBy) {
        List<String> tools = scope.tools();
        List<String> actions = scope.actions();
        List<String> state = scope.state();
        IssuedToken issued = tokens.issue(scope.agent().id(), tools, actions, state, Duration.ofSeconds(scope.expiresIn()));
        audit.entry(AuditAction.TOKEN_ISSUED)
                .outcome("issued")
                .agent(scope.agent().id())
                .request(RequestIds.of(exchange))
                .clientIp(ClientAddress.of(exchange))
                .details(Map.of("jti", issued.claims().tokenId(), "tools", tools, "actions", actions, "state", state,
                        "expires_at", issued.claims().expiresAt().toString(), "issued_by", issuedBy))
                .publish();
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("token", issued.compact());
        response.put("token_type", "Bearer");
        response.put("expires_in", scope.expiresIn());
        response.put("tools", tools);
        response.put("actions", actions);
        response.put("state", state);
        JsonResponses.send(exchange, StatusCodes.CREATED, response);
    }

    private void validate(HttpServerExchange exchange) {
        Principal principal = authenticator.authenticate(exchange).orElseThrow(() -> {
            unauthorized.increment();
            return new ApiException(ErrorCode.UNAUTHORIZED, "send the access token as Authorization: Bearer <token>");
        });
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("valid", true);
        if (!principal.isApiKey()) {
            response.put("agent_id", principal.agentId());
            response.put("tools", new TreeSet<>(principal.tools()));
            response.put("actions", new TreeSet<>(principal.actions()));
        }
        if (principal.isApiKey()) {
            response.put("key_id", principal.agentId());
            response.put("role", principal.role().wireName());
        } else {
            response.put("expires_at", principal.expiresAt());
        }
        JsonResponses.send(exchange, StatusCodes.OK, response);
    }
}
