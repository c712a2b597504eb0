package io.taskgate.ingress.auth;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** The claims of an access token Taskgate issued and verified. */
public record AccessToken(String agentId, List<String> tools, List<String> actions, String tokenId, Instant issuedAt, Instant expiresAt) {

    public AccessToken {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(tokenId, "tokenId");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        tools = List.copyOf(tools);
        actions = List.copyOf(actions);
    }
}
