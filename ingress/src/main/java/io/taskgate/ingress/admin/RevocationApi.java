package io.taskgate.ingress.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.ingress.auth.AccessToken;
import io.taskgate.ingress.auth.AdminAuth;
import io.taskgate.ingress.auth.InvalidTokenException;
import io.taskgate.ingress.auth.Right;
import io.taskgate.ingress.auth.TokenService;
import io.taskgate.ingress.http.BlockingWork;
import io.taskgate.ingress.http.ClientAddress;
import io.taskgate.ingress.http.JsonBodies;
import io.taskgate.ingress.identity.Revocations;
import io.taskgate.platform.audit.AuditLog;
import io.taskgate.platform.http.JsonResponses;
import io.taskgate.platform.http.RequestIds;
import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.schemas.identity.Revocation;
import io.taskgate.schemas.topics.Topics;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.StatusCodes;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /api/tokens/revoke} with {@code {"token"}} or {@code {"jti"}}: from the answer on,
 * this instance refuses the token; every other instance does once it read the revocation. A
 * revocation by token lasts until the token's {@code exp}; by bare jti, the longest a token lives.
 */
public final class RevocationApi {
    private static final int MAX_TOKEN_CHARS = 8192;
    private static final int MAX_JTI_CHARS = 256;

    private final Revocations revocations;
    private final TokenService tokens;
    private final AdminAuth admin;
    private final JsonBodies bodies;
    private final BlockingWork blocking;
    private final AuditLog audit;
    private final Clock clock;

    public RevocationApi(Revocations revocations, TokenService tokens, AdminAuth admin, JsonBodies bodies, BlockingWork blocking,
                         AuditLog audit, Clock clock) {
        this.revocations = revocations;
        this.tokens = tokens;
        this.admin = admin;
        this.bodies = bodies;
        this.blocking = blocking;
        this.audit = audit;
        this.clock = clock;
    }

    public void addRoutes(RoutingHandler routes) {
        routes.post("/api/tokens/revoke", admin.protect(Right.MANAGE, exchange -> bodies.read(exchange, this::revoke)));
    }

    private void revoke(HttpServerExchange exchange, JsonNode body) {
        RequestFields.object(body);
        Optional<String> token = RequestFields.text(body, "token", MAX_TOKEN_CHARS);
        Optional<String> jti = RequestFields.text(body, "jti", MAX_JTI_CHARS);
        if (token.isPresent() == jti.isPresent()) {
            throw RequestFields.bad("send either token (the access token) or jti (its id)");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Optional<Revocation> revocation = token.isPresent()
                ? ofToken(token.get(), now)
                : Optional.of(new Revocation(jti.get(), null, now.plus(Topics.MAX_TOKEN_LIFETIME), now));
        String revokedBy = AdminAuth.callerOf(exchange).describe();
        blocking.submit(exchange, done -> {
            revocation.ifPresent(revocations::revoke);
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("ok", true);
            response.put("revoked", revocation.isPresent());
            revocation.ifPresent(r -> {
                response.put("jti", r.jti());
                response.put("until", r.expiresAt());
                audit.entry(AuditAction.TOKEN_REVOKED)
                        .outcome("revoked")
                        .agent(r.agentId())
                        .request(RequestIds.of(done))
                        .clientIp(ClientAddress.of(done))
                        .details(Map.of("jti", r.jti(), "until", r.expiresAt().toString(), "revoked_by", revokedBy))
                        .publish();
            });
            if (revocation.isEmpty()) {
                response.put("message", "the token has already expired; nothing to revoke");
            }
            JsonResponses.send(done, StatusCodes.OK, response);
        });
    }

    /** The revocation of a token this gateway signed; empty when it already expired. */
    private Optional<Revocation> ofToken(String token, Instant now) {
        AccessToken claims;
        try {
            claims = tokens.verify(token);
        } catch (InvalidTokenException e) {
            if ("expired".equals(e.reason())) {
                return Optional.empty();
            }
            throw RequestFields.bad("token is not an access token this gateway signed (" + e.reason() + "); revoke by jti instead");
        }
        return Optional.of(new Revocation(claims.tokenId(), claims.agentId(), claims.expiresAt(), now));
    }
}
