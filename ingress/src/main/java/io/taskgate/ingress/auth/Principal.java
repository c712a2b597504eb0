package io.taskgate.ingress.auth;

import io.taskgate.schemas.tasks.TaskName;
import java.time.Instant;
import java.util.Set;

/** Who a verified access token speaks for, and what it allows: tasks, and the state namespaces it names. */
public record Principal(String agentId, String agentName, Set<String> tools, Set<String> actions, Set<String> stateNamespaces,
                        String tokenId, Instant expiresAt) {
    public static final String ANY = "*";

    public Principal {
        tools = Set.copyOf(tools);
        actions = Set.copyOf(actions);
        stateNamespaces = stateNamespaces == null ? Set.of() : Set.copyOf(stateNamespaces);
    }

    public Principal(String agentId, String agentName, Set<String> tools, Set<String> actions, String tokenId, Instant expiresAt) {
        this(agentId, agentName, tools, actions, Set.of(), tokenId, expiresAt);
    }

    /** A task needs its tool in {@code tools} and its action in {@code actions}; {@code "*"} allows all. */
    public boolean allows(TaskName task) {
        return (tools.contains(ANY) || tools.contains(task.tool())) && (actions.contains(ANY) || actions.contains(task.action()));
    }
}
