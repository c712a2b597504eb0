package io.taskgate.policy.workflows;

import io.taskgate.schemas.json.JsonSerde;
import io.taskgate.schemas.workflows.RunCommand;
import io.taskgate.schemas.workflows.WorkflowRun;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 * The coordinator: keeps every run in a store (changelogged, so it survives any crash) and, under
 * exactly-once, turns each command and step event into the run's next state, its next step tasks
 * and its audit records in one transaction. A crash between two steps replays from the last commit,
 * which neither loses the step's event nor requests a finished step again.
 */
final class RunProcessor implements Processor<String, CoordinatorInput, String, CoordinatorOutput> {
    static final String STORE = "workflow-runs";
    /** How often running steps are checked against their deadline, and ended runs against retention. */
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);

    private final Clock clock;
    private final Duration retention;
    private ProcessorContext<String, CoordinatorOutput> context;
    private KeyValueStore<String, WorkflowRun> runs;

    RunProcessor(Clock clock, Duration retention) {
        this.clock = clock;
        this.retention = retention;
    }

    static StoreBuilder<KeyValueStore<String, WorkflowRun>> storeBuilder() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                new JsonSerde<>(WorkflowRun.class));
    }

    @Override
    public void init(ProcessorContext<String, CoordinatorOutput> processorContext) {
        this.context = processorContext;
        this.runs = processorContext.getStateStore(STORE);
        processorContext.schedule(SWEEP_INTERVAL, PunctuationType.WALL_CLOCK_TIME, ignored -> sweep());
    }

    @Override
    public void process(Record<String, CoordinatorInput> record) {
        String runId = record.key();
        CoordinatorInput input = record.value();
        if (runId == null || input == null) {
            return;
        }
        Instant now = clock.instant();
        WorkflowRun run = runs.get(runId);
        if (input.command() != null) {
            RunCommand command = input.command();
            if (command.kind() == RunCommand.Kind.START && run == null && command.run() != null) {
                apply(RunSteps.start(command.run(), now), record.timestamp());
            } else if (command.kind() == RunCommand.Kind.CANCEL && run != null && !run.isEnded()
                    && run.agentId().equals(command.agentId())) {
                apply(RunSteps.cancel(run, now), record.timestamp());
            }
        } else if (input.event() != null && run != null) {
            RunChange change = RunSteps.onTaskEvent(run, input.event(), now);
            if (change.run() != run) {
                apply(change, record.timestamp());
            }
        }
    }

    private void apply(RunChange change, long timestamp) {
        runs.put(change.run().runId(), change.run());
        change.tasks().forEach(task -> context.forward(new Record<>(task.agentId(), CoordinatorOutput.task(task), timestamp)));
        context.forward(new Record<>(change.run().runId(), CoordinatorOutput.run(change.run().runId(), change.run()), timestamp));
        change.audits().forEach(audit -> context.forward(new Record<>(audit.agentId(), CoordinatorOutput.audit(audit), timestamp)));
    }

    private void sweep() {
        Instant now = clock.instant();
        List<WorkflowRun> timedOut = new ArrayList<>();
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, WorkflowRun> all = runs.all()) {
            while (all.hasNext()) {
                KeyValue<String, WorkflowRun> entry = all.next();
                WorkflowRun run = entry.value;
                if (run.isEnded() && run.endedAt() != null && run.endedAt().plus(retention).isBefore(now)) {
                    expired.add(entry.key);
                } else if (!run.isEnded()) {
                    timedOut.add(run);
                }
            }
        }
        for (WorkflowRun run : timedOut) {
            RunChange change = RunSteps.timeOut(run, now);
            if (change.run() != run) {
                apply(change, now.toEpochMilli());
            }
        }
        for (String runId : expired) {
            runs.delete(runId);
            context.forward(new Record<>(runId, CoordinatorOutput.run(runId, null), now.toEpochMilli()));
        }
    }
}
