package io.taskgate.schemas.agents;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An agent as every instance knows it, from the compacted {@code agents} topic keyed by agent id.
 * The private key is never here: it was shown once at creation. The webhook secret is, because
 * workers sign webhooks with it; {@link #toString()} masks it.
 */
public record AgentRecord(
        String id,
        String name,
        String description,
        List<String> tools,
        List<String> actions,
        Instant createdAt,
        String publicKey,
        String webhookSecret,
        boolean disabled) {
    public static final String TYPE = "agent";
    public static final int VERSION = 1;

    public AgentRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        tools = tools == null ? List.of() : List.copyOf(tools);
        actions = actions == null ? List.of() : List.copyOf(actions);
    }

    @JsonProperty("type")
    public String type() {
        return TYPE;
    }

    @JsonProperty("v")
    public int v() {
        return VERSION;
    }

    public AgentRecord disable() {
        return new AgentRecord(id, name, description, tools, actions, createdAt, publicKey, webhookSecret, true);
    }

    @Override
    public String toString() {
        return "AgentRecord[id=" + id + ", name=" + name + ", tools=" + tools + ", actions=" + actions
                + ", disabled=" + disabled + ", webhookSecret=" + (webhookSecret == null ? "null" : "****") + "]";
    }
}
