package io.taskgate.ingress.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.taskgate.schemas.tasks.TaskEvent;
import io.taskgate.schemas.topics.TopicSpec;
import io.taskgate.schemas.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskStatusTopologyTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final Duration RETENTION = Duration.ofHours(1);
    private static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);
    private static final int PURGE_BATCH = 2;

    private final TopicSpec<String, TaskEvent> taskEvents = new Topics("unit").taskEvents();
    private final List<String> changes = new CopyOnWriteArrayList<>();

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, TaskEvent> events;
    private KeyValueStore<String, TaskView> store;

    @BeforeEach
    void start() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "unit-status");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(TaskStatusTopology.build(taskEvents, (taskId, view) -> changes.add(taskId + ":" + view.status()),
                RETENTION, PURGE_INTERVAL, PURGE_BATCH), props, T0);
        events = driver.createInputTopic(taskEvents.name(), taskEvents.keySerde().serializer(), taskEvents.valueSerde().serializer());
        store = driver.getKeyValueStore(TaskStatusTopology.STORE);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void shouldFoldEventsAndReportEachChange() {
        events.pipeInput("tsk_a", TaskEvent.cancelled("tsk_a", "agt_1", "echo.run", "req-1", null, T0), T0);

        assertEquals(TaskStatus.CANCELLED, store.get("tsk_a").status());
        assertEquals(List.of("tsk_a:CANCELLED"), changes);
    }

    @Test
    void shouldForgetTasksUnchangedForTheRetentionAndKeepTheRest() {
        events.pipeInput("tsk_old", TaskEvent.cancelled("tsk_old", "agt_1", "echo.run", "req-1", null, T0), T0);
        driver.advanceWallClockTime(Duration.ofMinutes(30));
        Instant later = T0.plus(Duration.ofMinutes(30));
        events.pipeInput("tsk_new", TaskEvent.cancelled("tsk_new", "agt_1", "echo.run", "req-2", null, later), later);

        driver.advanceWallClockTime(Duration.ofMinutes(29));
        assertNotNull(store.get("tsk_old"), "kept while inside the retention");

        driver.advanceWallClockTime(Duration.ofMinutes(2));
        assertNull(store.get("tsk_old"), "forgotten an hour after its last change");
        assertNotNull(store.get("tsk_new"));
    }

    @Test
    void shouldPurgeALargeStoreAFewEntriesAtATime() {
        for (int i = 0; i < 5; i++) {
            events.pipeInput("tsk_" + i, TaskEvent.cancelled("tsk_" + i, "agt_1", "echo.run", "req-" + i, null, T0), T0);
        }
        driver.advanceWallClockTime(RETENTION.plus(PURGE_INTERVAL));
        assertEquals(3, count(), "one pass forgets at most " + PURGE_BATCH);

        driver.advanceWallClockTime(PURGE_INTERVAL);
        assertEquals(1, count());
        driver.advanceWallClockTime(PURGE_INTERVAL);
        assertEquals(0, count());
    }

    private long count() {
        long entries = 0;
        try (var all = store.all()) {
            while (all.hasNext()) {
                all.next();
                entries++;
            }
        }
        return entries;
    }
}
