package io.taskgate.schemas.topics;

import io.taskgate.schemas.agents.AgentRecord;
import io.taskgate.schemas.identity.ApiKeyRecord;
import io.taskgate.schemas.identity.JtiClaim;
import io.taskgate.schemas.identity.Revocation;
import io.taskgate.schemas.audit.AuditEvent;
import io.taskgate.schemas.json.JsonSerde;
import io.taskgate.schemas.policy.PolicyRecord;
import io.taskgate.schemas.state.StateCommand;
import io.taskgate.schemas.state.StateEntry;
import io.taskgate.schemas.state.StateOutcome;
import io.taskgate.schemas.tasks.DeadLetter;
import io.taskgate.schemas.tasks.TaskCancellation;
import io.taskgate.schemas.tasks.TaskEvent;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.tools.ToolAnnouncement;
import io.taskgate.schemas.topics.TopicSpec.Cleanup;
import io.taskgate.schemas.webhooks.WebhookRecord;
import io.taskgate.schemas.workflows.RunCommand;
import io.taskgate.schemas.workflows.WorkflowRecord;
import io.taskgate.schemas.workflows.WorkflowRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topics of one Taskgate installation. The prefix (default {@code taskgate}) lets several
 * installations, or several tests, share one cluster without seeing each other's records.
 */
public final class Topics {
    public static final String DEFAULT_PREFIX = "taskgate";
    public static final String DEFAULT_POOL = "default";
    private static final Pattern NAME_PART = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

    /** Task topics are spread widely so workers and policy-stream instances can scale out. */
    private static final int TASK_PARTITIONS = 6;
    private static final int STATE_PARTITIONS = 1;
    private static final int JTI_PARTITIONS = 3;
    /** The longest an access token lives (the admin API's upper bound on {@code expires_in}). */
    public static final Duration MAX_TOKEN_LIFETIME = Duration.ofDays(1);
    private static final Duration RETENTION_MARGIN = Duration.ofHours(1);
    private static final Duration JTI_RETENTION = Duration.ofHours(1);
    /** Workers announce their tools again well within this, so only a crashed worker's announcement ages out. */
    public static final Duration TOOLS_RETENTION = Duration.ofDays(1);

    private final String prefix;
    private final int taskPartitions;

    public Topics(String prefix) {
        this(prefix, TASK_PARTITIONS);
    }

    public Topics(String prefix, int taskPartitions) {
        Objects.requireNonNull(prefix, "prefix");
        if (!NAME_PART.matcher(prefix).matches()) {
            throw new IllegalArgumentException("topic prefix must be letters, digits, '_', '-' and dots: " + prefix);
        }
        this.prefix = prefix;
        this.taskPartitions = taskPartitions;
    }

    public String prefix() {
        return prefix;
    }

    public TopicSpec<String, TaskMessage> requested() {
        return new TopicSpec<>(prefix + ".tasks.requested", taskPartitions, Cleanup.DELETE,
                Serdes.String(), new JsonSerde<>(TaskMessage.class));
    }

    public TopicSpec<String, TaskMessage> ready(String pool) {
        if (!NAME_PART.matcher(pool).matches()) {
            throw new IllegalArgumentException("pool name must be letters, digits, '_' and '-': " + pool);
        }
        return new TopicSpec<>(prefix + ".tasks.ready." + pool, taskPartitions, Cleanup.DELETE,
                Serdes.String(), new JsonSerde<>(TaskMessage.class));
    }

    public TopicSpec<String, TaskEvent> taskEvents() {
        return new TopicSpec<>(prefix + ".task-events", taskPartitions, Cleanup.DELETE,
                Serdes.String(), new JsonSerde<>(TaskEvent.class));
    }

    public TopicSpec<String, DeadLetter> deadLetters() {
        return new TopicSpec<>(prefix + ".tasks.dlq", taskPartitions, Cleanup.DELETE,
                Serdes.String(), new JsonSerde<>(DeadLetter.class));
    }

    public TopicSpec<String, TaskCancellation> cancellations() {
        return new TopicSpec<>(prefix + ".tasks.cancelled", taskPartitions, Cleanup.COMPACT,
                Serdes.String(), new JsonSerde<>(TaskCancellation.class));
    }

    /**
     * Webhook attempts due and their outcomes. Partitioned like {@code task-events}, as the scheduler
     * reads both by task id in one Streams task.
     */
    public TopicSpec<String, WebhookRecord> webhooks() {
        return new TopicSpec<>(prefix + ".webhooks", taskPartitions, Cleanup.DELETE,
                Serdes.String(), new JsonSerde<>(WebhookRecord.class));
    }

    public TopicSpec<String, AuditEvent> audit() {
        return new TopicSpec<>(prefix + ".audit", taskPartitions, Cleanup.DELETE,
                Serdes.String(), new JsonSerde<>(AuditEvent.class));
    }

    public TopicSpec<String, AgentRecord> agents() {
        return new TopicSpec<>(prefix + ".agents", STATE_PARTITIONS, Cleanup.COMPACT,
                Serdes.String(), new JsonSerde<>(AgentRecord.class));
    }

    public TopicSpec<String, PolicyRecord> policies() {
        return new TopicSpec<>(prefix + ".policies", STATE_PARTITIONS, Cleanup.COMPACT,
                Serdes.String(), new JsonSerde<>(PolicyRecord.class));
    }

    /**
     * Token revocations by jti. A revocation matters only until the token would have expired, at
     * most {@link #MAX_TOKEN_LIFETIME} after the revocation, so Kafka deletes older records.
     */
    public TopicSpec<String, Revocation> revocations() {
        return new TopicSpec<>(prefix + ".revocations", STATE_PARTITIONS, Cleanup.COMPACT_DELETE,
                MAX_TOKEN_LIFETIME.plus(RETENTION_MARGIN), Serdes.String(), new JsonSerde<>(Revocation.class));
    }

    /** API keys by key id, as their hashes; a tombstone deletes a key. */
    public TopicSpec<String, ApiKeyRecord> apiKeys() {
        return new TopicSpec<>(prefix + ".api-keys", STATE_PARTITIONS, Cleanup.COMPACT,
                Serdes.String(), new JsonSerde<>(ApiKeyRecord.class));
    }

    /**
     * Claims of client-assertion jtis, keyed by issuer and jti so every claim of one jti lands on
     * one partition, in one order every instance reads alike. An assertion lives minutes, so
     * claims are deleted after an hour.
     */
    public TopicSpec<String, JtiClaim> assertionJtis() {
        return new TopicSpec<>(prefix + ".assertion-jtis", JTI_PARTITIONS, Cleanup.COMPACT_DELETE, JTI_RETENTION,
                Serdes.String(), new JsonSerde<>(JtiClaim.class));
    }

    /** Workflow definitions by name, latest version: shared by every instance. */
    public TopicSpec<String, WorkflowRecord> workflows() {
        return new TopicSpec<>(prefix + ".workflows", STATE_PARTITIONS, Cleanup.COMPACT,
                Serdes.String(), new JsonSerde<>(WorkflowRecord.class));
    }

    /** Starts and cancels of runs, keyed by run id; partitioned as the step events the coordinator joins them with. */
    public TopicSpec<String, RunCommand> workflowCommands() {
        return new TopicSpec<>(prefix + ".workflow-commands", taskPartitions, Cleanup.DELETE,
                Serdes.String(), new JsonSerde<>(RunCommand.class));
    }

    /** Each run as the coordinator last left it, keyed by run id: what ingress serves. */
    public TopicSpec<String, WorkflowRun> workflowRuns() {
        return new TopicSpec<>(prefix + ".workflow-runs", taskPartitions, Cleanup.COMPACT,
                Serdes.String(), new JsonSerde<>(WorkflowRun.class));
    }

    /** Writes to agents' state, keyed by namespace/key, so one processor decides each key's writes in order. */
    public TopicSpec<String, StateCommand> stateCommands() {
        return new TopicSpec<>(prefix + ".state.commands", taskPartitions, Cleanup.DELETE,
                Serdes.String(), new JsonSerde<>(StateCommand.class));
    }

    /** Agents' state by namespace/key, as decided: what every reader serves. */
    public TopicSpec<String, StateEntry> state() {
        return new TopicSpec<>(prefix + ".state", taskPartitions, Cleanup.COMPACT,
                Serdes.String(), new JsonSerde<>(StateEntry.class));
    }

    /** The outcome of each state write, keyed by command id, for the writer waiting on it. */
    public TopicSpec<String, StateOutcome> stateOutcomes() {
        return new TopicSpec<>(prefix + ".state.outcomes", taskPartitions, Cleanup.DELETE,
                Serdes.String(), new JsonSerde<>(StateOutcome.class));
    }

    /**
     * What each running worker offers, keyed by pool/instance ({@link ToolAnnouncement}): how
     * ingress learns the plug-in tools. A worker that stops cleanly deletes its own key; one that
     * crashed stops re-announcing and its record is deleted after {@link #TOOLS_RETENTION}.
     */
    public TopicSpec<String, ToolAnnouncement> tools() {
        return new TopicSpec<>(prefix + ".tools", STATE_PARTITIONS, Cleanup.COMPACT_DELETE, TOOLS_RETENTION,
                Serdes.String(), new JsonSerde<>(ToolAnnouncement.class));
    }

    /** Every topic an installation with these worker pools needs, for creating them at start. */
    public List<TopicSpec<?, ?>> all(Collection<String> pools) {
        List<TopicSpec<?, ?>> all = new ArrayList<>(List.of(
                requested(), taskEvents(), deadLetters(), cancellations(), webhooks(), audit(), agents(), policies(),
                revocations(), apiKeys(), assertionJtis(), workflows(), workflowCommands(), workflowRuns(),
                stateCommands(), state(), stateOutcomes(), tools()));
        pools.stream().distinct().map(this::ready).forEach(all::add);
        return List.copyOf(all);
    }
}
