package io.taskgate.schemas.agents;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An agent as every instance knows it, from the compacted {@code agents} topic keyed by agent id.
 * The private key is never here: it was shown once at creation. The webhook secret is, because
 * the webhook deliverer signs with it. After a rotation the previous secret stays until
 * {@code previousWebhookSecretUntil}, so receivers can switch over; {@link #toString()} masks both.
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
        boolean disabled,
        String previousWebhookSecret,
        Instant previousWebhookSecretUntil) {
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
        return new AgentRecord(id, name, description, tools, actions, createdAt, publicKey, webhookSecret, true,
                previousWebhookSecret, previousWebhookSecretUntil);
    }

    /** The agent with {@code newSecret}, the current one kept as the previous until {@code previousUntil}. */
    public AgentRecord rotateWebhookSecret(String newSecret, Instant previousUntil) {
        return new AgentRecord(id, name, description, tools, actions, createdAt, publicKey, newSecret, disabled,
                webhookSecret, previousUntil);
    }

    /** The secrets a webhook sent at {@code now} is signed with: the current one, and the previous while it lasts. */
    public List<String> webhookSecretsAt(Instant now) {
        List<String> secrets = new ArrayList<>();
        if (webhookSecret != null) {
            secrets.add(webhookSecret);
        }
        if (previousWebhookSecret != null && previousWebhookSecretUntil != null && now.isBefore(previousWebhookSecretUntil)) {
            secrets.add(previousWebhookSecret);
        }
        return List.copyOf(secrets);
    }

    @Override
    public String toString() {
        return "AgentRecord[id=" + id + ", name=" + name + ", tools=" + tools + ", actions=" + actions
                + ", disabled=" + disabled + ", webhookSecret=" + (webhookSecret == null ? "null" : "****")
                + ", previousWebhookSecret=" + (previousWebhookSecret == null ? "null" : "****")
                + ", previousWebhookSecretUntil=" + previousWebhookSecretUntil + "]";
    }
}
