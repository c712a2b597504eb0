package io.taskgate.policy.decision;

import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Task ids seen in the last 24 hours, so a task posted twice with the same Idempotency-Key (same
 * agent, same key, hence the same task id) is decided once. A window store with that retention
 * drops old ids by itself, so the state does not grow without bound.
 */
public final class SeenTasks {
    public static final String STORE = "seen-task-ids";
    public static final Duration RETENTION = Duration.ofHours(24);

    private final WindowStore<String, Long> seen;

    public SeenTasks(WindowStore<String, Long> seen) {
        this.seen = seen;
    }

    public static StoreBuilder<WindowStore<String, Long>> storeBuilder() {
        return Stores.windowStoreBuilder(
                Stores.persistentWindowStore(STORE, RETENTION, RETENTION, false), Serdes.String(), Serdes.Long());
    }

    /** Records the id at this time; false when it was already seen within 24 hours either side. */
    public boolean firstSighting(String taskId, long atMillis) {
        long retention = RETENTION.toMillis();
        try (WindowStoreIterator<Long> earlier = seen.fetch(taskId, Math.max(0, atMillis - retention), atMillis + retention)) {
            if (earlier.hasNext()) {
                return false;
            }
        }
        seen.put(taskId, atMillis, atMillis);
        return true;
    }
}
