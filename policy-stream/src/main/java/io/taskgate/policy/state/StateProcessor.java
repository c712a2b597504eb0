package io.taskgate.policy.state;

import io.taskgate.platform.audit.Redaction;
import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.schemas.audit.AuditEvent;
import io.taskgate.schemas.json.JsonSerde;
import io.taskgate.schemas.state.StateCommand;
import io.taskgate.schemas.state.StateEntry;
import io.taskgate.schemas.state.StateOutcome;
import io.taskgate.schemas.state.StateOutcome.Result;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Decides every write to agents' state. Commands are keyed by {@code namespace/key}, so all writes
 * to one key reach this processor in order, one at a time: an {@code If-Match} is compared with
 * the version in its store, never with a possibly stale copy, and two writers racing on one
 * version cannot both win. Expired keys are removed (with a tombstone) once a second.
 */
final class StateProcessor implements Processor<String, StateCommand, String, StateOutput> {
    static final String STORE = "state-entries";
    static final String SERVICE = "state";
    private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);

    private final Clock clock;
    private ProcessorContext<String, StateOutput> context;
    private KeyValueStore<String, StateEntry> entries;

    StateProcessor(Clock clock) {
        this.clock = clock;
    }

    static StoreBuilder<KeyValueStore<String, StateEntry>> storeBuilder() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), new JsonSerde<>(StateEntry.class));
    }

    @Override
    public void init(ProcessorContext<String, StateOutput> processorContext) {
        this.context = processorContext;
        this.entries = processorContext.getStateStore(STORE);
        processorContext.schedule(SWEEP_INTERVAL, PunctuationType.WALL_CLOCK_TIME, ignored -> sweep());
    }

    @Override
    public void process(Record<String, StateCommand> record) {
        StateCommand command = record.value();
        if (command == null) {
            return;
        }
        Instant now = clock.instant();
        String key = command.topicKey();
        StateEntry current = entries.get(key);
        if (current != null && current.isExpired(now)) {
            expire(key, current, now);
            current = null;
        }
        if (command.ifMatch() != null && (current == null || current.version() != command.ifMatch())) {
            decided(command, Result.PRECONDITION_FAILED, current == null ? 0 : current.version(), now);
            return;
        }
        if (command.op() == StateCommand.Op.DELETE) {
            if (current == null) {
                decided(command, Result.NOT_FOUND, 0, now);
                return;
            }
            entries.delete(key);
            forward(StateOutput.entry(key, null), now);
            decided(command, Result.APPLIED, current.version(), now);
            audit(command.agentId(), AuditAction.STATE_DELETED, command, current.version(), null, now);
            return;
        }
        StateEntry written = next(command, current, now);
        entries.put(key, written);
        forward(StateOutput.entry(key, written), now);
        decided(command, Result.APPLIED, written.version(), now);
        audit(command.agentId(), AuditAction.STATE_WRITTEN, command, written.version(), Redaction.hash(command.value()), now);
    }

    /**
     * Versions grow with time as well as with each write, so a key deleted and written again never
     * repeats an ETag an old reader may still hold.
     */
    private static StateEntry next(StateCommand command, StateEntry current, Instant now) {
        long version = Math.max(current == null ? 0 : current.version() + 1, now.toEpochMilli());
        List<StateEntry.Version> history = new ArrayList<>();
        if (current != null) {
            history.add(new StateEntry.Version(current.version(), current.value(), current.updatedAt()));
            history.addAll(current.history());
        }
        Instant expiresAt = command.ttlS() == null ? null : now.plusSeconds(command.ttlS());
        return new StateEntry(command.namespace(), command.key(), command.value(), version, now, expiresAt,
                history.subList(0, Math.min(history.size(), StateEntry.MAX_HISTORY)));
    }

    private void decided(StateCommand command, Result result, long version, Instant now) {
        forward(StateOutput.outcome(new StateOutcome(command.commandId(), result, command.topicKey(), version)), now);
    }

    private void sweep() {
        Instant now = clock.instant();
        List<KeyValue<String, StateEntry>> expired = new ArrayList<>();
        try (KeyValueIterator<String, StateEntry> all = entries.all()) {
            while (all.hasNext()) {
                KeyValue<String, StateEntry> entry = all.next();
                if (entry.value.isExpired(now)) {
                    expired.add(entry);
                }
            }
        }
        expired.forEach(entry -> expire(entry.key, entry.value, now));
    }

    private void expire(String key, StateEntry entry, Instant now) {
        entries.delete(key);
        forward(StateOutput.entry(key, null), now);
        Map<String, Object> details = Map.of("namespace", entry.namespace(), "key", entry.key(), "version", entry.version());
        forward(StateOutput.audit(new AuditEvent(auditId(key + "|expired|" + entry.version()), now, SERVICE,
                AuditAction.STATE_EXPIRED, "expired", null, null, null, null, details)), now);
    }

    private void audit(String agentId, AuditAction action, StateCommand command, long version, String valueHash, Instant now) {
        Map<String, Object> details = new HashMap<>(Map.of("namespace", command.namespace(), "key", command.key(),
                "version", version, "conditional", command.ifMatch() != null));
        if (valueHash != null) {
            details.put("value_hash", valueHash);
        }
        if (command.ttlS() != null) {
            details.put("ttl_s", command.ttlS());
        }
        forward(StateOutput.audit(new AuditEvent(auditId(command.commandId()), now, SERVICE, action, "applied", agentId,
                null, command.requestId(), null, details)), now);
    }

    private void forward(StateOutput output, Instant now) {
        context.forward(new Record<>(output.key(), output, now.toEpochMilli()));
    }

    private static String auditId(String seed) {
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
