package io.taskgate.ingress.admin;

import io.taskgate.ingress.auth.AgentLookup;
import io.taskgate.ingress.http.ApiException;
import io.taskgate.platform.kafka.SharedState;
import io.taskgate.schemas.agents.AgentRecord;
import io.taskgate.schemas.errors.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Every agent, as the compacted agents topic holds them, shared by all ingress instances. Writes
 * are read-your-writes on this instance. Names are unique among enabled agents: this instance
 * checks and creates under one lock, so two instances racing on the same new name is the one way
 * to get a duplicate, and both agents then still work under their own ids.
 */
public final class AgentDirectory implements AgentLookup, AutoCloseable {
    private final SharedState<AgentRecord> state;
    private final Object writes = new Object();

    public AgentDirectory(SharedState<AgentRecord> state) {
        this.state = state;
    }

    public void start() {
        state.start();
    }

    public boolean awaitCaughtUp(Duration timeout) {
        return state.awaitCaughtUp(timeout);
    }

    public boolean isCaughtUp() {
        return state.isCaughtUp();
    }

    @Override
    public Optional<AgentRecord> find(String agentId) {
        return state.get(agentId);
    }

    /** Every agent, enabled or not, oldest first. */
    public List<AgentRecord> all() {
        return state.snapshot().values().stream()
                .sorted(Comparator.comparing(AgentRecord::createdAt, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(AgentRecord::id))
                .toList();
    }

    public Optional<AgentRecord> findEnabledByName(String name) {
        return state.snapshot().values().stream().filter(agent -> !agent.disabled() && agent.name().equals(name)).findFirst();
    }

    /** Stores a new agent; 409 when an enabled agent already has its name. Blocks until applied here. */
    public void create(AgentRecord agent) {
        synchronized (writes) {
            if (findEnabledByName(agent.name()).isPresent()) {
                throw new ApiException(ErrorCode.CONFLICT, "an enabled agent is already named " + agent.name());
            }
            state.write(agent.id(), agent);
        }
    }

    /** The outcome of disabling: the agent as it now is, and whether this call disabled it. */
    public record Disabled(AgentRecord agent, boolean changed) {
    }

    /** Disables the agent, so its tokens stop working; disabling it again changes nothing. Blocks until applied here. */
    public Disabled disable(String agentId) {
        synchronized (writes) {
            AgentRecord agent = find(agentId).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no agent " + agentId));
            if (agent.disabled()) {
                return new Disabled(agent, false);
            }
            AgentRecord disabled = agent.disable();
            state.write(agentId, disabled);
            return new Disabled(disabled, true);
        }
    }

    /**
     * Gives the agent {@code newSecret}, keeping its current secret as the previous one until
     * {@code previousUntil}. Blocks until applied here; 404 for an unknown agent.
     */
    public AgentRecord rotateWebhookSecret(String agentId, String newSecret, Instant previousUntil) {
        synchronized (writes) {
            AgentRecord agent = find(agentId).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no agent " + agentId));
            AgentRecord rotated = agent.rotateWebhookSecret(newSecret, previousUntil);
            state.write(agentId, rotated);
            return rotated;
        }
    }

    @Override
    public void close() {
        state.close();
    }
}
