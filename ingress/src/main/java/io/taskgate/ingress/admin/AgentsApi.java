package io.taskgate.ingress.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.ingress.auth.AdminAuth;
import io.taskgate.ingress.auth.Right;
import io.taskgate.ingress.http.ApiException;
import io.taskgate.ingress.http.BlockingWork;
import io.taskgate.ingress.http.ClientAddress;
import io.taskgate.ingress.http.JsonBodies;
import io.taskgate.platform.http.JsonResponses;
import io.taskgate.ingress.http.PathParams;
import io.taskgate.platform.http.RequestIds;
import io.taskgate.platform.audit.AuditLog;
import io.taskgate.schemas.agents.AgentRecord;
import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.schemas.errors.ErrorCode;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.StatusCodes;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code /api/agents}: create (the private key and webhook secret are in this one response and
 * nowhere else), list, show and disable agents, rotate an agent's webhook secret. The admin token,
 * or an API key whose role may.
 */
public final class AgentsApi {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final int MAX_DESCRIPTION = 1024;
    static final Duration PREVIOUS_SECRET_OVERLAP = Duration.ofHours(24);

    private final AgentDirectory directory;
    private final AdminAuth admin;
    private final JsonBodies bodies;
    private final BlockingWork blocking;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random;

    public AgentsApi(AgentDirectory directory, AdminAuth admin, JsonBodies bodies, BlockingWork blocking, AuditLog audit,
                     Clock clock, SecureRandom random) {
        this.directory = directory;
        this.admin = admin;
        this.bodies = bodies;
        this.blocking = blocking;
        this.audit = audit;
        this.clock = clock;
        this.random = random;
    }

    public void addRoutes(RoutingHandler routes) {
        routes.post("/api/agents", admin.protect(Right.MANAGE, exchange -> bodies.read(exchange, this::create)))
                .get("/api/agents", admin.protect(Right.READ_ADMIN, this::list))
                .get("/api/agents/{id}", admin.protect(Right.READ_ADMIN, this::show))
                .delete("/api/agents/{id}", admin.protect(Right.MANAGE, exchange -> blocking.submit(exchange, this::disable)))
                .post("/api/agents/{id}/webhook-secret",
                        admin.protect(Right.MANAGE, exchange -> blocking.submit(exchange, this::rotateWebhookSecret)));
    }

    private void create(HttpServerExchange exchange, JsonNode body) {
        RequestFields.object(body);
        String name = RequestFields.text(body, "name", 64).orElseThrow(() -> RequestFields.bad("name is required"));
        if (!NAME.matcher(name).matches()) {
            throw RequestFields.bad("name must match " + NAME.pattern());
        }
        String description = RequestFields.text(body, "description", MAX_DESCRIPTION).orElse(null);
        List<String> tools = RequestFields.names(body, "tools", RequestFields.TOOL)
                .orElseThrow(() -> RequestFields.bad("tools is required: the tools the agent may use, or [\"*\"]"));
        List<String> actions = RequestFields.names(body, "actions", RequestFields.ACTION)
                .orElseThrow(() -> RequestFields.bad("actions is required: the actions the agent may run, or [\"*\"]"));
        blocking.submit(exchange, ex -> {
            AgentCredentials credentials = AgentCredentials.generate(random);
            AgentRecord agent = new AgentRecord(newAgentId(), name, description, tools, actions,
                    clock.instant().truncatedTo(ChronoUnit.MILLIS), credentials.publicKeyPem(), credentials.webhookSecret(), false, null, null);
            directory.create(agent);
            audit.entry(AuditAction.AGENT_CREATED)
                    .outcome("created")
                    .agent(agent.id())
                    .request(RequestIds.of(ex))
                    .clientIp(ClientAddress.of(ex))
                    .details(Map.of("name", name, "tools", tools, "actions", actions))
                    .publish();
            Map<String, Object> created = AgentViews.of(agent);
            created.put("private_key", credentials.privateKeyPem());
            created.put("webhook_secret", credentials.webhookSecret());
            JsonResponses.send(ex, StatusCodes.CREATED, created);
        });
    }

    private void list(HttpServerExchange exchange) {
        List<Map<String, Object>> agents = directory.all().stream().map(AgentViews::of).toList();
        JsonResponses.send(exchange, StatusCodes.OK, Map.of("ok", true, "agents", agents));
    }

    private void show(HttpServerExchange exchange) {
        String id = PathParams.get(exchange, "id");
        AgentRecord agent = directory.find(id).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no agent " + id));
        JsonResponses.send(exchange, StatusCodes.OK, AgentViews.of(agent));
    }

    private void disable(HttpServerExchange exchange) {
        String id = PathParams.get(exchange, "id");
        AgentDirectory.Disabled result = directory.disable(id);
        if (result.changed()) {
            audit.entry(AuditAction.AGENT_DISABLED)
                    .outcome("disabled")
                    .agent(id)
                    .request(RequestIds.of(exchange))
                    .clientIp(ClientAddress.of(exchange))
                    .details(Map.of("name", result.agent().name()))
                    .publish();
        }
        JsonResponses.send(exchange, StatusCodes.OK, AgentViews.of(result.agent()));
    }

    /**
     * A new {@code whsec_} secret, shown in this one response. For {@link #PREVIOUS_SECRET_OVERLAP}
     * webhooks carry signatures with both secrets, so a receiver can switch over without missing one.
     */
    private void rotateWebhookSecret(HttpServerExchange exchange) {
        String id = PathParams.get(exchange, "id");
        String secret = AgentCredentials.newWebhookSecret(random);
        Instant previousUntil = clock.instant().plus(PREVIOUS_SECRET_OVERLAP).truncatedTo(ChronoUnit.SECONDS);
        AgentRecord agent = directory.rotateWebhookSecret(id, secret, previousUntil);
        audit.entry(AuditAction.WEBHOOK_SECRET_ROTATED)
                .outcome("rotated")
                .agent(id)
                .request(RequestIds.of(exchange))
                .clientIp(ClientAddress.of(exchange))
                .details(Map.of("name", agent.name(), "previous_valid_until", previousUntil.toString()))
                .publish();
        JsonResponses.send(exchange, StatusCodes.OK, Map.of("ok", true, "id", id, "webhook_secret", secret,
                "previous_secret_valid_until", previousUntil));
    }

    private String newAgentId() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return "agt_" + HexFormat.of().formatHex(bytes);
    }
}
