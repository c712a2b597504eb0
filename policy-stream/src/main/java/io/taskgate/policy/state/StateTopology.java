package io.taskgate.policy.state;

import io.taskgate.schemas.audit.AuditEvent;
import io.taskgate.schemas.state.StateCommand;
import io.taskgate.schemas.state.StateEntry;
import io.taskgate.schemas.state.StateOutcome;
import io.taskgate.schemas.topics.TopicSpec;
import io.taskgate.schemas.topics.Topics;
import java.time.Clock;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * State writes: {@code state.commands} (keyed by namespace/key) through {@link StateProcessor} to
 * the compacted {@code state} topic every reader copies, the outcome for the waiting writer, and
 * the audit record, in one transaction.
 */
public final class StateTopology {
    private StateTopology() {
    }

    public static void addTo(StreamsBuilder builder, Topics topics, Clock clock) {
        builder.addStateStore(StateProcessor.storeBuilder());
        TopicSpec<String, StateCommand> commands = topics.stateCommands();
        KStream<String, StateOutput> outputs = builder
                .stream(commands.name(), Consumed.with(commands.keySerde(), commands.valueSerde()).withName("state-commands"))
                .process(() -> new StateProcessor(clock), Named.as("decide-state"), StateProcessor.STORE);
        TopicSpec<String, StateEntry> state = topics.state();
        outputs.filter((key, out) -> out.isEntry(), Named.as("state-entries"))
                .mapValues(out -> out.entry(), Named.as("to-entry"))
                .to(state.name(), Produced.with(state.keySerde(), state.valueSerde()).withName("state"));
        TopicSpec<String, StateOutcome> outcomes = topics.stateOutcomes();
        outputs.filter((key, out) -> out.isOutcome(), Named.as("state-outcomes"))
                .mapValues(out -> out.outcome(), Named.as("to-outcome"))
                .to(outcomes.name(), Produced.with(outcomes.keySerde(), outcomes.valueSerde()).withName("state-outcome"));
        TopicSpec<String, AuditEvent> audit = topics.audit();
        outputs.filter((key, out) -> out.isAudit(), Named.as("state-audits"))
                .mapValues(out -> out.audit(), Named.as("to-state-audit"))
                .to(audit.name(), Produced.with(audit.keySerde(), audit.valueSerde()).withName("state-audit"));
    }
}
