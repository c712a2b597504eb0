package io.taskgate.ingress.auth;

import io.taskgate.schemas.agents.AgentRecord;
import java.util.Optional;

/** Where authentication learns whether an agent exists and is enabled. */
@FunctionalInterface
public interface AgentLookup {
    Optional<AgentRecord> find(String agentId);
}
