package io.taskgate.ingress.workflows;

import io.taskgate.ingress.auth.AdminAuth;
import io.taskgate.ingress.auth.Right;
import io.taskgate.ingress.http.ApiException;
import io.taskgate.ingress.http.BlockingWork;
import io.taskgate.ingress.http.ClientAddress;
import io.taskgate.ingress.http.JsonBodies;
import io.taskgate.ingress.http.PathParams;
import io.taskgate.platform.audit.AuditLog;
import io.taskgate.platform.audit.Redaction;
import io.taskgate.platform.http.JsonResponses;
import io.taskgate.platform.http.RequestIds;
import io.taskgate.platform.kafka.SharedState;
import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.tools.KnownTasks;
import io.taskgate.schemas.workflows.WorkflowDefinition;
import io.taskgate.schemas.workflows.WorkflowException;
import io.taskgate.schemas.workflows.WorkflowParser;
import io.taskgate.schemas.workflows.WorkflowRecord;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.StatusCodes;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code /api/workflows} (admin): {@code PUT /api/workflows/{name}} validates a YAML or JSON
 * definition (400 naming the field and line) and stores it as the next version on the compacted
 * {@code workflows} topic; {@code GET} lists them or shows one, with its document.
 */
public final class WorkflowsApi {
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
    private static final Set<String> MEDIA_TYPES = Set.of("application/yaml", "text/yaml", "application/x-yaml", "application/json");

    private final SharedState<WorkflowRecord> workflows;
    private final AdminAuth admin;
    private final JsonBodies bodies;
    private final BlockingWork blocking;
    private final AuditLog audit;
    private final WorkflowParser parser;
    private final Clock clock;

    public WorkflowsApi(SharedState<WorkflowRecord> workflows, AdminAuth admin, JsonBodies bodies, BlockingWork blocking,
                        AuditLog audit, KnownTasks catalog, Clock clock) {
        this.workflows = workflows;
        this.admin = admin;
        this.bodies = bodies;
        this.blocking = blocking;
        this.audit = audit;
        this.parser = new WorkflowParser(catalog);
        this.clock = clock;
    }

    public void addRoutes(RoutingHandler routes) {
        routes.get("/api/workflows", admin.protect(Right.READ_ADMIN, this::list))
                .get("/api/workflows/{name}", admin.protect(Right.READ_ADMIN, this::show))
                .put("/api/workflows/{name}", admin.protect(Right.MANAGE, exchange -> {
                    String name = name(exchange);
                    bodies.readText(exchange, MEDIA_TYPES, (ex, document) -> blocking.submit(ex, done -> define(done, name, document)));
                }));
    }

    private void list(HttpServerExchange exchange) {
        List<Map<String, Object>> all = workflows.snapshot().values().stream()
                .sorted(Comparator.comparing(WorkflowRecord::name))
                .map(record -> summary(record))
                .toList();
        JsonResponses.send(exchange, StatusCodes.OK, Map.of("workflows", all));
    }

    private void show(HttpServerExchange exchange) {
        WorkflowRecord record = workflows.get(name(exchange))
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no workflow " + name(exchange)));
        Map<String, Object> body = summary(record);
        body.put("document", record.source());
        body.put("definition", record.definition());
        JsonResponses.send(exchange, StatusCodes.OK, body);
    }

    private void define(HttpServerExchange exchange, String name, String document) {
        WorkflowDefinition definition;
        try {
            definition = parser.parse(document);
        } catch (WorkflowException e) {
            throw new ApiException(ErrorCode.BAD_REQUEST, e.getMessage());
        }
        // Writes to one name are rare and come from admins; two at once may both take the same
        // next version, and the later one wins, as with the policy.
        int version = workflows.get(name).map(WorkflowRecord::version).orElse(0) + 1;
        WorkflowRecord record = new WorkflowRecord(name, version, document, definition,
                clock.instant().truncatedTo(ChronoUnit.MILLIS));
        workflows.write(name, record);
        String hash = Redaction.sha256(document);
        audit.entry(AuditAction.WORKFLOW_DEFINED).outcome("defined").request(RequestIds.of(exchange))
                .clientIp(ClientAddress.of(exchange))
                .details(Map.of("workflow", name, "version", version, "document_hash", hash, "steps", definition.steps().size()))
                .publish();
        Map<String, Object> body = summary(record);
        body.put("ok", true);
        body.put("document_hash", hash);
        JsonResponses.send(exchange, version == 1 ? StatusCodes.CREATED : StatusCodes.OK, body);
    }

    private static Map<String, Object> summary(WorkflowRecord record) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", record.name());
        body.put("version", record.version());
        body.put("updated_at", record.updatedAt());
        body.put("steps", List.copyOf(record.definition().steps().keySet()));
        return body;
    }

    static String name(HttpServerExchange exchange) {
        String name = PathParams.get(exchange, "name");
        if (!NAME.matcher(name).matches()) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "a workflow name is lower-case letters, digits, '_', '.' and '-', at most 64");
        }
        return name;
    }
}
