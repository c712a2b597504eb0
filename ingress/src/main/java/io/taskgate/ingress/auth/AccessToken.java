package io.taskgate.ingress.auth;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The claims of an access token Taskgate issued and verified.
 *
 * @param state the state namespaces the token may read and write ({@code "state"} claim; empty when absent)
 */
public record AccessToken(String agentId, List<String> tools, List<String> actions, List<String> state, String tokenId,
                          Instant issuedAt, Instant expiresAt) {

    public AccessToken {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(tokenId, "tokenId");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        tools = List.copyOf(tools);
        actions = List.copyOf(actions);
        state = state == null ? List.of() : List.copyOf(state);
    }

    public AccessToken(String agentId, List<String> tools, List<String> actions, String tokenId, Instant issuedAt, Instant expiresAt) {
        this(agentId, tools, actions, List.of(), tokenId, issuedAt, expiresAt);
    }
}
