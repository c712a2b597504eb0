package io.taskgate.ingress.status;

import io.taskgate.schemas.tasks.TaskEvent;
import io.taskgate.schemas.topics.TopicSpec;
import java.time.Duration;
import java.util.function.BiConsumer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.state.Stores;

/** The status view's Kafka Streams topology: {@code task-events} folded into one store of task views. */
public final class TaskStatusTopology {
    static final String STORE = "task-status";

    private TaskStatusTopology() {
    }

    /**
     * Folds each task's events into its {@link TaskView} and reports every change to {@code onChange};
     * a task unchanged for {@code retention} is forgotten (up to {@code purgeBatch} entries looked at
     * every {@code purgeInterval}).
     */
    public static Topology build(TopicSpec<String, TaskEvent> taskEvents, BiConsumer<String, TaskView> onChange,
                                 Duration retention, Duration purgeInterval, int purgeBatch) {
        StreamsBuilder builder = new StreamsBuilder();
        // Timestamped, as the DSL aggregate that kept this store before wrote it: existing state and
        // changelogs keep their format.
        builder.addStateStore(Stores.timestampedKeyValueStoreBuilder(Stores.persistentTimestampedKeyValueStore(STORE),
                Serdes.String(), TaskView.SERDE));
        builder.stream(taskEvents.name(), Consumed.with(taskEvents.keySerde(), taskEvents.valueSerde()))
                .process(() -> new TaskStatusFolder(STORE, onChange, retention, purgeInterval, purgeBatch), STORE);
        return builder.build();
    }
}
