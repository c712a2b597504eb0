package io.taskgate.webhooks.schedule;

import io.taskgate.schemas.audit.AuditEvent;
import io.taskgate.schemas.tasks.TaskEvent;
import io.taskgate.schemas.topics.TopicSpec;
import io.taskgate.schemas.topics.Topics;
import io.taskgate.schemas.webhooks.WebhookRecord;
import io.taskgate.webhooks.RetrySchedule;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The webhook scheduler's topology: {@code task-events} and {@code webhooks} (partitioned alike, by
 * task id) into one {@link DeliveryScheduler} with two persistent stores (the deliveries by task id,
 * and an index of them by due time), writing {@code due} records to {@code webhooks}, attempts to
 * {@code task-events} and audit records to {@code audit}.
 */
public final class WebhookTopology {
    static final String DELIVERIES = "webhook-deliveries";
    static final String DUE = "webhook-due";
    static final String TO_WEBHOOKS = "to-webhooks";
    static final String TO_TASK_EVENTS = "to-task-events";
    static final String TO_AUDIT = "to-audit";
    private static final String SCHEDULER = "scheduler";

    /**
     * @param tick            how often the due index is scanned; a retry goes out up to this much after its time
     * @param maxPayloadBytes the largest webhook body; a larger one leaves out the result
     * @param retention       how long a finished delivery is kept for redelivery
     */
    public record Settings(RetrySchedule schedule, Duration tick, int maxPayloadBytes, Duration retention) {
    }

    private WebhookTopology() {
    }

    public static Topology build(Topics topics, Settings settings, Clock clock) {
        TopicSpec<String, TaskEvent> taskEvents = topics.taskEvents();
        TopicSpec<String, WebhookRecord> webhooks = topics.webhooks();
        TopicSpec<String, AuditEvent> audit = topics.audit();
        Topology topology = new Topology();
        topology.addSource("task-events", taskEvents.keySerde().deserializer(), taskEvents.valueSerde().deserializer(),
                taskEvents.name());
        topology.addSource("webhooks", webhooks.keySerde().deserializer(), webhooks.valueSerde().deserializer(),
                webhooks.name());
        topology.addProcessor(SCHEDULER, () -> new DeliveryScheduler(settings, clock), "task-events", "webhooks");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DELIVERIES), Serdes.String(),
                PendingDelivery.SERDE), SCHEDULER);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DUE), Serdes.String(),
                Serdes.String()), SCHEDULER);
        topology.addSink(TO_WEBHOOKS, webhooks.name(), Serdes.String().serializer(), valueSerializer(webhooks.valueSerde()),
                SCHEDULER);
        topology.addSink(TO_TASK_EVENTS, taskEvents.name(), Serdes.String().serializer(),
                valueSerializer(taskEvents.valueSerde()), SCHEDULER);
        topology.addSink(TO_AUDIT, audit.name(), Serdes.String().serializer(), valueSerializer(audit.valueSerde()), SCHEDULER);
        return topology;
    }

    /** The scheduler forwards values as {@code Object}; each sink receives only its topic's type. */
    @SuppressWarnings("unchecked")
    private static <V> Serializer<Object> valueSerializer(Serde<V> serde) {
        return (Serializer<Object>) serde.serializer();
    }
}
