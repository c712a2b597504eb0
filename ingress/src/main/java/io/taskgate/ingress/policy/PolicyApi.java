package io.taskgate.ingress.policy;

import io.taskgate.ingress.auth.AdminAuth;
import io.taskgate.ingress.auth.Right;
import io.taskgate.ingress.http.ApiException;
import io.taskgate.ingress.http.BlockingWork;
import io.taskgate.ingress.http.ClientAddress;
import io.taskgate.ingress.http.JsonBodies;
import io.taskgate.platform.http.JsonResponses;
import io.taskgate.platform.http.RequestIds;
import io.taskgate.platform.audit.AuditLog;
import io.taskgate.platform.audit.Redaction;
import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.policy.Policy;
import io.taskgate.schemas.policy.PolicyException;
import io.taskgate.schemas.policy.PolicyParser;
import io.taskgate.schemas.policy.PolicyRecord;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/policy} (admin): {@code GET} returns the document in force as it was written,
 * {@code PUT} validates a YAML or JSON document (400 naming the field and line) and publishes it
 * to every instance of policy-stream and ingress. A policy whose allowlist would refuse the caller
 * is refused (400) unless the PUT says {@code ?force=true}.
 */
public final class PolicyApi {
    static final Set<String> MEDIA_TYPES = Set.of("application/yaml", "text/yaml", "application/x-yaml", "application/json");
    static final String SOURCE = "api";

    private final PolicyView view;
    private final AdminAuth admin;
    private final JsonBodies bodies;
    private final BlockingWork blocking;
    private final AuditLog audit;
    private final Clock clock;

    public PolicyApi(PolicyView view, AdminAuth admin, JsonBodies bodies, BlockingWork blocking, AuditLog audit, Clock clock) {
        this.view = view;
        this.admin = admin;
        this.bodies = bodies;
        this.blocking = blocking;
        this.audit = audit;
        this.clock = clock;
    }

    public void addRoutes(RoutingHandler routes) {
        routes.get("/api/policy", admin.protect(Right.READ_ADMIN, this::show))
                .put("/api/policy", admin.protect(Right.MANAGE, exchange -> bodies.readText(exchange, MEDIA_TYPES,
                        (ex, document) -> blocking.submit(ex, done -> replace(done, document)))));
    }

    private void show(HttpServerExchange exchange) {
        String document = view.record().map(PolicyRecord::document).orElseGet(PolicyParser::defaultDocument);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, mediaTypeOf(document) + "; charset=utf-8");
        exchange.getResponseSender().send(document, StandardCharsets.UTF_8);
    }

    private void replace(HttpServerExchange exchange, String document) {
        Policy policy;
        try {
            policy = PolicyParser.parse(document);
        } catch (PolicyException e) {
            throw new ApiException(ErrorCode.BAD_REQUEST, e.getMessage());
        }
        refuseSelfLockout(exchange, policy);
        String fileDigest = view.record().map(PolicyRecord::fileDigest).orElse(null);
        PolicyRecord record = new PolicyRecord(document, clock.instant().truncatedTo(ChronoUnit.MILLIS), SOURCE, fileDigest);
        view.publish(record);
        String hash = Redaction.sha256(document);
        audit.entry(AuditAction.POLICY_UPDATED)
                .outcome("applied")
                .request(RequestIds.of(exchange))
                .clientIp(ClientAddress.of(exchange))
                .details(Map.of("document_hash", hash, "bytes", document.getBytes(StandardCharsets.UTF_8).length,
                        "task_rules", policy.tasks().size(), "source", SOURCE))
                .publish();
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("ok", true);
        response.put("version", policy.version());
        response.put("updated_at", record.updatedAt());
        response.put("document_hash", hash);
        response.put("task_rules", policy.tasks().size());
        JsonResponses.send(exchange, StatusCodes.OK, response);
    }

    /**
     * An allowlist that would refuse the caller would lock the admin out of the very API that
     * could repair it; {@code ?force=true} says that is meant (the caller is leaving, say).
     */
    private static void refuseSelfLockout(HttpServerExchange exchange, Policy policy) {
        if (policy.ingress().ipAllowlist().allows(ClientAddress.inet(exchange)) || forced(exchange)) {
            return;
        }
        throw new ApiException(ErrorCode.BAD_REQUEST, "ingress.ip_allowlist would refuse your own address "
                + ClientAddress.of(exchange) + "; add it, or PUT with ?force=true to apply the policy anyway");
    }

    private static boolean forced(HttpServerExchange exchange) {
        Deque<String> force = exchange.getQueryParameters().get("force");
        return force != null && "true".equalsIgnoreCase(force.peekFirst());
    }

    /** JSON documents are objects; anything else was YAML. */
    static String mediaTypeOf(String document) {
        return document.stripLeading().startsWith("{") ? "application/json" : "application/yaml";
    }
}
