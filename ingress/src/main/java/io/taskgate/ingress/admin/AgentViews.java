package io.taskgate.ingress.admin;

import io.taskgate.schemas.agents.AgentRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the admin API shows of an agent: never its public key or webhook secret. */
final class AgentViews {
    private AgentViews() {
    }

    static Map<String, Object> of(AgentRecord agent) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", agent.id());
        view.put("name", agent.name());
        if (agent.description() != null) {
            view.put("description", agent.description());
        }
        view.put("tools", agent.tools());
        view.put("actions", agent.actions());
        if (agent.createdAt() != null) {
            view.put("created_at", agent.createdAt());
        }
        view.put("disabled", agent.disabled());
        return view;
    }
}
