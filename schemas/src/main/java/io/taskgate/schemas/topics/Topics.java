package io.taskgate.schemas.topics;

import io.taskgate.schemas.agents.AgentRecord;
import io.taskgate.schemas.audit.AuditEvent;
import io.taskgate.schemas.json.JsonSerde;
import io.taskgate.schemas.policy.PolicyRecord;
import io.taskgate.schemas.tasks.DeadLetter;
import io.taskgate.schemas.tasks.TaskCancellation;
import io.taskgate.schemas.tasks.TaskEvent;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.topics.TopicSpec.Cleanup;
import io.taskgate.schemas.webhooks.WebhookRecord;
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

    /** Every topic an installation with these worker pools needs, for creating them at start. */
    public List<TopicSpec<?, ?>> all(Collection<String> pools) {
        List<TopicSpec<?, ?>> all = new ArrayList<>(List.of(
                requested(), taskEvents(), deadLetters(), cancellations(), webhooks(), audit(), agents(), policies()));
        pools.stream().distinct().map(this::ready).forEach(all::add);
        return List.copyOf(all);
    }
}
