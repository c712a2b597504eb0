package io.taskgate.policy.workflows;

import io.taskgate.policy.state.StateTopology;
import io.taskgate.schemas.audit.AuditEvent;
import io.taskgate.schemas.json.JsonSerde;
import io.taskgate.schemas.tasks.TaskEvent;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.topics.TopicSpec;
import io.taskgate.schemas.topics.Topics;
import io.taskgate.schemas.workflows.RunCommand;
import io.taskgate.schemas.workflows.RunIds;
import io.taskgate.schemas.workflows.WorkflowRun;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * The workflow coordinator and the state processor, one exactly-once Streams app. Runs: commands
 * (keyed by run id) and the events of step tasks (re-keyed by run id, which a step task carries as
 * its request id) meet in {@link RunProcessor}, which requests the next steps on
 * {@code tasks.requested}, like ingress does, so policy, rate limits and audit apply to every step.
 * State: see {@link StateTopology}.
 */
public final class WorkflowTopology {
    /** The events that end a try of a step; the others never change a run. */
    private static final Set<TaskEvent.Kind> ENDINGS = EnumSet.of(TaskEvent.Kind.SUCCEEDED, TaskEvent.Kind.FAILED,
            TaskEvent.Kind.REJECTED, TaskEvent.Kind.CANCELLED);

    private WorkflowTopology() {
    }

    public static Topology build(Topics topics, Clock clock, Duration runRetention) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(RunProcessor.storeBuilder());

        TopicSpec<String, RunCommand> commands = topics.workflowCommands();
        KStream<String, CoordinatorInput> commandInputs = builder
                .stream(commands.name(), Consumed.with(commands.keySerde(), commands.valueSerde()).withName("workflow-commands"))
                .mapValues(CoordinatorInput::of, Named.as("command-input"));

        TopicSpec<String, TaskEvent> events = topics.taskEvents();
        KStream<String, CoordinatorInput> stepInputs = builder
                .stream(events.name(), Consumed.with(events.keySerde(), events.valueSerde()).withName("task-events"))
                .filter((taskId, event) -> event != null && ENDINGS.contains(event.event()) && event.requestId() != null
                        && event.requestId().startsWith(RunIds.PREFIX), Named.as("step-events"))
                .selectKey((taskId, event) -> event.requestId(), Named.as("by-run"))
                .repartition(Repartitioned.<String, TaskEvent>as("step-events-by-run")
                        .withNumberOfPartitions(commands.partitions())
                        .withKeySerde(Serdes.String())
                        .withValueSerde(new JsonSerde<>(TaskEvent.class)))
                .mapValues(CoordinatorInput::of, Named.as("event-input"));

        KStream<String, CoordinatorOutput> outputs = commandInputs.merge(stepInputs, Named.as("run-inputs"))
                .process(() -> new RunProcessor(clock, runRetention), Named.as("coordinate"), RunProcessor.STORE);

        TopicSpec<String, TaskMessage> requested = topics.requested();
        KStream<String, TaskMessage> stepTasks = outputs.filter((key, out) -> out.isTask(), Named.as("step-tasks"))
                .mapValues(out -> out.task(), Named.as("to-task"));
        stepTasks.to(requested.name(), Produced.with(requested.keySerde(), requested.valueSerde()).withName("requested"));
        // As ingress does for a task it accepts, so the task's status reads "queued" from the start.
        stepTasks.map((agentId, task) -> KeyValue.pair(task.taskId(), TaskEvent.accepted(task, task.createdAt())), Named.as("to-accepted"))
                .to(events.name(), Produced.with(events.keySerde(), events.valueSerde()).withName("accepted"));
        TopicSpec<String, WorkflowRun> runs = topics.workflowRuns();
        outputs.filter((key, out) -> out.isRun(), Named.as("run-views"))
                .mapValues(out -> out.run(), Named.as("to-run"))
                .to(runs.name(), Produced.with(runs.keySerde(), runs.valueSerde()).withName("workflow-runs"));
        TopicSpec<String, AuditEvent> audit = topics.audit();
        outputs.filter((key, out) -> out.isAudit(), Named.as("run-audits"))
                .mapValues(out -> out.audit(), Named.as("to-audit"))
                .to(audit.name(), Produced.with(audit.keySerde(), audit.valueSerde()).withName("audit"));

        StateTopology.addTo(builder, topics, clock);
        return builder.build();
    }
}
