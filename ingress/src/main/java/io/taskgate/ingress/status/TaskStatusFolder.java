package io.taskgate.ingress.status;

import io.taskgate.schemas.tasks.TaskEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Folds each event into its task's {@link TaskView} in the status store and reports the change; and,
 * on a wall-clock schedule, forgets tasks that have not changed for {@code retention}, so the store
 * and its changelog (compacted, so the deletes become tombstones) stay bounded by the retention
 * rather than growing with every task ever run. Each pass reads at most {@code purgeBatch} entries
 * and the next one goes on from there: the purge runs on the stream thread, and one scan of a large
 * store would hold up every status change behind it.
 */
final class TaskStatusFolder implements Processor<String, TaskEvent, Void, Void> {
    private final String storeName;
    private final BiConsumer<String, TaskView> onChange;
    private final Duration retention;
    private final Duration purgeInterval;
    private final int purgeBatch;
    private TimestampedKeyValueStore<String, TaskView> store;
    private String purgedUpTo;

    TaskStatusFolder(String storeName, BiConsumer<String, TaskView> onChange, Duration retention, Duration purgeInterval,
                     int purgeBatch) {
        this.storeName = storeName;
        this.onChange = onChange;
        this.retention = retention;
        this.purgeInterval = purgeInterval;
        this.purgeBatch = purgeBatch;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
        context.schedule(purgeInterval, PunctuationType.WALL_CLOCK_TIME,
                now -> purgeOlderThan(Instant.ofEpochMilli(now).minus(retention)));
    }

    @Override
    public void process(Record<String, TaskEvent> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        TaskView next = TaskView.reduce(ValueAndTimestamp.getValueOrNull(store.get(record.key())), record.value());
        if (next == null) {
            // A webhook attempt for a task this view already forgot.
            return;
        }
        store.put(record.key(), ValueAndTimestamp.make(next, record.timestamp()));
        onChange.accept(record.key(), next);
    }

    private void purgeOlderThan(Instant cutoff) {
        List<String> expired = new ArrayList<>();
        String last = null;
        int read = 0;
        try (KeyValueIterator<String, ValueAndTimestamp<TaskView>> entries = store.range(purgedUpTo, null)) {
            while (entries.hasNext() && read < purgeBatch) {
                KeyValue<String, ValueAndTimestamp<TaskView>> entry = entries.next();
                if (entry.key.equals(purgedUpTo)) {
                    continue;
                }
                read++;
                last = entry.key;
                TaskView view = ValueAndTimestamp.getValueOrNull(entry.value);
                if (view == null || lastChange(view).isBefore(cutoff)) {
                    expired.add(entry.key);
                }
            }
            // At the end of the store the next pass starts from the beginning again.
            purgedUpTo = entries.hasNext() ? last : null;
        }
        expired.forEach(store::delete);
    }

    private static Instant lastChange(TaskView view) {
        if (view.updatedAt() != null) {
            return view.updatedAt();
        }
        return view.createdAt() != null ? view.createdAt() : Instant.EPOCH;
    }
}
