package io.taskgate.ingress.auth;

import io.taskgate.schemas.tasks.TaskName;
import java.time.Instant;
import java.util.Set;

/**
 * Who a verified credential speaks for, and what it allows: an agent's access token (its tools,
 * actions and the state namespaces it names), or an API key ({@code role} set; {@code agentId} is
 * the key id).
 */
public record Principal(String agentId, String agentName, Set<String> tools, Set<String> actions, Set<String> stateNamespaces,
                        String tokenId, Instant expiresAt, Role role) {
    public static final String ANY = "*";

    public Principal {
        tools = Set.copyOf(tools);
        actions = Set.copyOf(actions);
        stateNamespaces = stateNamespaces == null ? Set.of() : Set.copyOf(stateNamespaces);
    }

    /** An agent's access token that names no state namespaces. */
    public Principal(String agentId, String agentName, Set<String> tools, Set<String> actions, String tokenId, Instant expiresAt) {
        this(agentId, agentName, tools, actions, Set.of(), tokenId, expiresAt);
    }

    /** An agent's access token. */
    public Principal(String agentId, String agentName, Set<String> tools, Set<String> actions, Set<String> stateNamespaces,
                     String tokenId, Instant expiresAt) {
        this(agentId, agentName, tools, actions, stateNamespaces, tokenId, expiresAt, null);
    }

    /** An API key: it holds no tools or actions, only its role's rights. */
    public static Principal apiKey(String keyId, String keyName, Role role) {
        return new Principal(keyId, keyName, Set.of(), Set.of(), Set.of(), keyId, null, role);
    }

    public boolean isApiKey() {
        return role != null;
    }

    public boolean has(Right right) {
        return role != null && role.has(right);
    }

    /** A task needs its tool in {@code tools} and its action in {@code actions}; {@code "*"} allows all. */
    public boolean allows(TaskName task) {
        return (tools.contains(ANY) || tools.contains(task.tool())) && (actions.contains(ANY) || actions.contains(task.action()));
    }
}
