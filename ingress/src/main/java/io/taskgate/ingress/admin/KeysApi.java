package io.taskgate.ingress.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.ingress.auth.AdminAuth;
import io.taskgate.ingress.auth.ApiKeyLookup;
import io.taskgate.ingress.auth.Right;
import io.taskgate.ingress.auth.Role;
import io.taskgate.ingress.http.ApiException;
import io.taskgate.ingress.http.BlockingWork;
import io.taskgate.ingress.http.ClientAddress;
import io.taskgate.ingress.http.JsonBodies;
import io.taskgate.ingress.http.PathParams;
import io.taskgate.ingress.identity.ApiKeyDirectory;
import io.taskgate.platform.audit.AuditLog;
import io.taskgate.platform.http.JsonResponses;
import io.taskgate.platform.http.RequestIds;
import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.identity.ApiKeyRecord;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.StatusCodes;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/keys}: create an API key of a role (the key is in this one response; only its
 * SHA-256 is kept), list keys (names and roles, never a key or hash), and delete one, which every
 * instance stops honouring once it read the tombstone.
 */
public final class KeysApi {
    private static final int KEY_BYTES = 32;

    private final ApiKeyDirectory keys;
    private final AdminAuth admin;
    private final JsonBodies bodies;
    private final BlockingWork blocking;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random;

    public KeysApi(ApiKeyDirectory keys, AdminAuth admin, JsonBodies bodies, BlockingWork blocking, AuditLog audit, Clock clock,
                   SecureRandom random) {
        this.keys = keys;
        this.admin = admin;
        this.bodies = bodies;
        this.blocking = blocking;
        this.audit = audit;
        this.clock = clock;
        this.random = random;
    }

    public void addRoutes(RoutingHandler routes) {
        routes.post("/api/keys", admin.protect(Right.MANAGE, exchange -> bodies.read(exchange, this::create)))
                .get("/api/keys", admin.protect(Right.READ_ADMIN, this::list))
                .delete("/api/keys/{id}", admin.protect(Right.MANAGE, exchange -> blocking.submit(exchange, this::delete)));
    }

    private void create(HttpServerExchange exchange, JsonNode body) {
        RequestFields.object(body);
        String name = RequestFields.text(body, "name", 64).orElseThrow(() -> RequestFields.bad("name is required"));
        if (!AgentsApi.NAME.matcher(name).matches()) {
            throw RequestFields.bad("name must match " + AgentsApi.NAME.pattern());
        }
        String roleName = RequestFields.text(body, "role", 32).orElseThrow(() -> RequestFields.bad("role is required: " + roles()));
        Role role = Role.fromWireName(roleName).orElseThrow(() -> RequestFields.bad("role must be one of " + roles()));
        String createdBy = AdminAuth.callerOf(exchange).describe();
        blocking.submit(exchange, done -> {
            String key = newKey();
            ApiKeyRecord record = new ApiKeyRecord(newId(), name, role.wireName(), ApiKeyDirectory.hashOf(key),
                    clock.instant().truncatedTo(ChronoUnit.MILLIS));
            keys.create(record);
            audit.entry(AuditAction.API_KEY_CREATED)
                    .outcome("created")
                    .request(RequestIds.of(done))
                    .clientIp(ClientAddress.of(done))
                    .details(Map.of("key_id", record.id(), "name", name, "role", record.role(), "created_by", createdBy))
                    .publish();
            Map<String, Object> created = view(record);
            created.put("key", key);
            JsonResponses.send(done, StatusCodes.CREATED, created);
        });
    }

    private void list(HttpServerExchange exchange) {
        List<Map<String, Object>> all = keys.all().stream().map(KeysApi::view).toList();
        JsonResponses.send(exchange, StatusCodes.OK, Map.of("ok", true, "keys", all));
    }

    private void delete(HttpServerExchange exchange) {
        String id = PathParams.get(exchange, "id");
        ApiKeyRecord record = keys.find(id).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no API key " + id));
        keys.delete(id);
        audit.entry(AuditAction.API_KEY_DELETED)
                .outcome("deleted")
                .request(RequestIds.of(exchange))
                .clientIp(ClientAddress.of(exchange))
                .details(Map.of("key_id", id, "name", record.name(), "role", record.role(),
                        "deleted_by", AdminAuth.callerOf(exchange).describe()))
                .publish();
        JsonResponses.send(exchange, StatusCodes.OK, Map.of("ok", true, "id", id, "deleted", true));
    }

    /** What the API shows of a key: never the key or its hash. */
    private static Map<String, Object> view(ApiKeyRecord record) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", record.id());
        view.put("name", record.name());
        view.put("role", record.role());
        view.put("created_at", record.createdAt());
        return view;
    }

    private static String roles() {
        return String.join(", ", Arrays.stream(Role.values()).map(Role::wireName).toList());
    }

    private String newKey() {
        byte[] bytes = new byte[KEY_BYTES];
        random.nextBytes(bytes);
        return ApiKeyLookup.KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private String newId() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return "key_" + HexFormat.of().formatHex(bytes);
    }
}
