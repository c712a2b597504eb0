package io.taskgate.ingress.state;

import io.taskgate.ingress.auth.Authenticator;
import io.taskgate.ingress.auth.Principal;
import io.taskgate.ingress.http.ApiException;
import io.taskgate.ingress.http.BlockingWork;
import io.taskgate.ingress.http.JsonBodies;
import io.taskgate.ingress.http.PathParams;
import io.taskgate.platform.audit.AuditLog;
import io.taskgate.platform.http.JsonResponses;
import io.taskgate.platform.http.RequestIds;
import io.taskgate.platform.state.StateStoreClient;
import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.state.StateCommand;
import io.taskgate.schemas.state.StateCommands;
import io.taskgate.schemas.state.StateEntry;
import io.taskgate.schemas.state.StateLimits;
import io.taskgate.schemas.state.StateOutcome;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.time.Clock;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An agent's own key-value state: {@code GET|PUT|DELETE /api/state/{namespace}/{key}} and
 * {@code GET /api/state/{namespace}?prefix=}. The token must name the namespace ({@code state}
 * claim, else 403). Reads carry an {@code ETag}; a write with {@code If-Match} applies only if the
 * key is still at that version (412 otherwise), decided by the one processor that owns the key.
 */
public final class StateApi {
    private final StateStoreClient state;
    private final Authenticator authenticator;
    private final JsonBodies bodies;
    private final BlockingWork blocking;
    private final AuditLog audit;
    private final Clock clock;

    public StateApi(StateStoreClient state, Authenticator authenticator, JsonBodies bodies, BlockingWork blocking, AuditLog audit,
                    Clock clock) {
        this.state = state;
        this.authenticator = authenticator;
        this.bodies = bodies;
        this.blocking = blocking;
        this.audit = audit;
        this.clock = clock;
    }

    public void addRoutes(RoutingHandler routes) {
        routes.get("/api/state/{namespace}", this::list)
                .get("/api/state/{namespace}/{key}", this::read)
                .put("/api/state/{namespace}/{key}", this::put)
                .delete("/api/state/{namespace}/{key}", this::delete);
    }

    private void list(HttpServerExchange exchange) {
        String namespace = namespace(exchange, principal(exchange));
        String prefix = query(exchange, "prefix");
        if (!prefix.isEmpty() && !StateLimits.isKey(prefix)) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "prefix: letters, digits, '_', '.', ':' and '-'");
        }
        List<StateEntry> found = state.list(namespace, prefix, StateLimits.MAX_LIST + 1);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("namespace", namespace);
        body.put("prefix", prefix);
        body.put("keys", found.stream().limit(StateLimits.MAX_LIST).map(entry -> summary(entry)).toList());
        body.put("truncated", found.size() > StateLimits.MAX_LIST);
        JsonResponses.send(exchange, StatusCodes.OK, body);
    }

    private void read(HttpServerExchange exchange) {
        Principal principal = principal(exchange);
        String namespace = namespace(exchange, principal);
        String key = key(exchange);
        StateEntry entry = state.get(namespace, key).orElseThrow(StateApi::notFound);
        Map<String, Object> body = summary(entry);
        body.put("value", entry.value());
        if ("true".equals(query(exchange, "history"))) {
            body.put("history", entry.history());
        }
        exchange.getResponseHeaders().put(Headers.ETAG, entry.etag());
        JsonResponses.send(exchange, StatusCodes.OK, body);
    }

    private void put(HttpServerExchange exchange) {
        Principal principal = principal(exchange);
        String namespace = namespace(exchange, principal);
        String key = key(exchange);
        Long ifMatch = IfMatch.parse(exchange.getRequestHeaders().getFirst(Headers.IF_MATCH));
        String requestId = RequestIds.of(exchange);
        bodies.read(exchange, (ex, body) -> {
            StateCommand command;
            try {
                command = StateCommands.put(UUID.randomUUID().toString(), namespace, key, body, ifMatch,
                        principal.agentId(), requestId, clock.instant());
            } catch (StateCommands.StateLimitException e) {
                throw new ApiException(e.tooLarge() ? ErrorCode.PAYLOAD_TOO_LARGE : ErrorCode.BAD_REQUEST, e.getMessage());
            }
            blocking.submit(ex, done -> {
                StateOutcome outcome = decided(state.write(command));
                Map<String, Object> reply = new LinkedHashMap<>();
                reply.put("ok", true);
                reply.put("namespace", namespace);
                reply.put("key", key);
                reply.put("version", outcome.version());
                state.get(namespace, key).map(StateEntry::expiresAt).ifPresent(at -> reply.put("expires_at", at));
                done.getResponseHeaders().put(Headers.ETAG, "\"" + outcome.version() + "\"");
                JsonResponses.send(done, StatusCodes.OK, reply);
            });
        });
    }

    private void delete(HttpServerExchange exchange) {
        Principal principal = principal(exchange);
        String namespace = namespace(exchange, principal);
        String key = key(exchange);
        Long ifMatch = IfMatch.parse(exchange.getRequestHeaders().getFirst(Headers.IF_MATCH));
        StateCommand command = new StateCommand(UUID.randomUUID().toString(), StateCommand.Op.DELETE, namespace, key, null, null,
                ifMatch, principal.agentId(), RequestIds.of(exchange), clock.instant());
        blocking.submit(exchange, done -> {
            StateOutcome outcome = decided(state.write(command));
            JsonResponses.send(done, StatusCodes.OK, Map.of("ok", true, "namespace", namespace, "key", key,
                    "deleted_version", outcome.version()));
        });
    }

    private static StateOutcome decided(StateOutcome outcome) {
        return switch (outcome.result()) {
            case APPLIED -> outcome;
            case NOT_FOUND -> throw notFound();
            case PRECONDITION_FAILED -> throw new ApiException(ErrorCode.PRECONDITION_FAILED, outcome.version() == 0
                    ? "If-Match names a version, but the key does not exist"
                    : "the key is at version " + outcome.version() + "; read it again and retry with its ETag");
        };
    }

    private static Map<String, Object> summary(StateEntry entry) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", entry.key());
        body.put("version", entry.version());
        body.put("etag", entry.etag());
        body.put("updated_at", entry.updatedAt());
        if (entry.expiresAt() != null) {
            body.put("expires_at", entry.expiresAt());
        }
        return body;
    }

    private Principal principal(HttpServerExchange exchange) {
        return authenticator.authenticate(exchange)
                .orElseThrow(() -> new ApiException(ErrorCode.UNAUTHORIZED, "send an access token: Authorization: Bearer <token>"));
    }

    private String namespace(HttpServerExchange exchange, Principal principal) {
        String namespace = PathParams.get(exchange, "namespace");
        if (!StateLimits.isNamespace(namespace)) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "a namespace is lower-case letters, digits, '_', '.' and '-', at most 64");
        }
        if (!principal.stateNamespaces().contains(namespace)) {
            audit.entry(AuditAction.ACCESS_DENIED).agent(principal.agentId()).request(RequestIds.of(exchange)).outcome("denied")
                    .details(Map.of("state_namespace", namespace)).publish();
            throw new ApiException(ErrorCode.FORBIDDEN, "the token does not name state namespace '" + namespace + "'");
        }
        return namespace;
    }

    private static String key(HttpServerExchange exchange) {
        String key = PathParams.get(exchange, "key");
        if (!StateLimits.isKey(key)) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "a key is letters, digits, '_', '.', ':' and '-', 1 to 200 characters");
        }
        return key;
    }

    private static String query(HttpServerExchange exchange, String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() ? "" : values.peekFirst();
    }

    private static ApiException notFound() {
        return new ApiException(ErrorCode.NOT_FOUND, "no such key");
    }
}
