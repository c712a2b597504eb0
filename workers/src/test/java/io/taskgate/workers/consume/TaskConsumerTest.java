package io.taskgate.workers.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.schemas.json.Json;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.topics.TopicSpec;
import io.taskgate.schemas.topics.Topics;
import io.taskgate.testing.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TaskConsumerTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final TopicSpec<String, TaskMessage> topic = new Topics("unit").ready("default");
    private final TopicPartition p0 = new TopicPartition(topic.name(), 0);
    private final List<Duration> pollTimeouts = new CopyOnWriteArrayList<>();
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest") {
        @Override
        public synchronized ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            pollTimeouts.add(timeout);
            return super.poll(timeout);
        }

        /** commitSync commits through here too; a closed MockConsumer no longer answers committed(). */
        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
            lastCommit.set(Map.copyOf(offsets));
            super.commitAsync(offsets, callback);
        }
    };
    private final AtomicReference<Map<TopicPartition, OffsetAndMetadata>> lastCommit = new AtomicReference<>(Map.of());
    private final Map<String, CompletableFuture<Void>> running = new ConcurrentHashMap<>();
    private final List<String> requestIds = new CopyOnWriteArrayList<>();
    private TaskConsumer tasks;
    private Thread pollThread;

    @AfterEach
    void stop() {
        if (tasks != null) {
            tasks.stop();
            Await.until("the poll loop to stop", () -> {
                running.values().forEach(task -> task.complete(null));
                return !pollThread.isAlive();
            }, DEADLINE);
        }
    }

    @Test
    void shouldKeepAtMostConcurrencyTasksInFlightAndPauseWhileFull() throws InterruptedException {
        start(2);
        whenAssigned(() -> {
            for (int offset = 0; offset < 4; offset++) {
                consumer.addRecord(task(offset, "tsk_" + offset, "req-" + offset));
            }
        });

        Await.until(() -> "two tasks started, got " + running.keySet(), () -> running.size() == 2, DEADLINE);
        awaitPolls(3);
        assertEquals(Set.of("tsk_0", "tsk_1"), running.keySet(), "no third task while two are in flight");
        assertEquals(Set.of(p0), consumer.paused());
        assertEquals(2, tasks.inFlight());
        // While full, a blocking poll would hold a freed slot empty until its timeout.
        int polled = pollTimeouts.size();
        awaitPolls(2);
        assertEquals(List.of(Duration.ZERO, Duration.ZERO), List.copyOf(pollTimeouts.subList(polled, polled + 2)));

        running.get("tsk_0").complete(null);
        Await.until("a freed slot starts the next task", () -> running.containsKey("tsk_2"), DEADLINE);
        assertEquals(3, running.size());
        assertEquals(List.of("req-0", "req-1", "req-2"), requestIds.subList(0, 3));
    }

    @Test
    void shouldCommitUpToOldestUnfinishedTaskAndSkipUnreadableRecords() throws InterruptedException {
        start(10);
        whenAssigned(() -> {
            consumer.addRecord(task(0, "tsk_0", null));
            consumer.addRecord(task(1, "tsk_1", null));
            consumer.addRecord(record(2, "{not json".getBytes(StandardCharsets.UTF_8)));
            consumer.addRecord(task(3, "tsk_3", null));
        });
        Await.until(() -> "three readable tasks started, got " + running.keySet(), () -> running.size() == 3, DEADLINE);

        running.get("tsk_1").complete(null);
        running.get("tsk_3").complete(null);
        awaitPolls(3);
        assertEquals(Optional.of(0L), committed(), "tsk_0 is unfinished, so nothing past it is committed");

        running.get("tsk_0").complete(null);
        Await.until(() -> "committed offset 4, got " + committed(), () -> committed().equals(Optional.of(4L)), DEADLINE);
        assertEquals(0, tasks.inFlight());
    }

    @Test
    void shouldNeverCommitPastATaskWhoseOutcomeKafkaDidNotAcknowledge() throws InterruptedException {
        start(10);
        whenAssigned(() -> {
            consumer.addRecord(task(0, "tsk_0", null));
            consumer.addRecord(task(1, "tsk_1", null));
        });
        Await.until(() -> "two tasks started, got " + running.keySet(), () -> running.size() == 2, DEADLINE);

        running.get("tsk_0").completeExceptionally(new IllegalStateException("outcome not acknowledged"));
        running.get("tsk_1").complete(null);
        Await.until("both slots free again", () -> tasks.inFlight() == 0, DEADLINE);
        awaitPolls(3);

        assertEquals(Optional.of(0L), committed(), "tsk_0's outcome never landed, so its offset stays uncommitted");
    }

    @Test
    void shouldLetTasksInFlightFinishAndCommitWhenStopped() throws InterruptedException {
        start(10);
        whenAssigned(() -> consumer.addRecord(task(0, "tsk_0", null)));
        Await.until("tsk_0 started", () -> running.containsKey("tsk_0"), DEADLINE);

        tasks.stop();
        assertFalse(tasks.isStopped(), "stopping waits for the task in flight");
        running.get("tsk_0").complete(null);

        Await.until("the consumer stopped", tasks::isStopped, DEADLINE);
        assertTrue(consumer.closed());
        assertFalse(tasks.isReady());
    }

    @Test
    void shouldRunAtMostAToolsLimitAtOnceAndStartOtherToolsPastItsWaitingTasks() throws InterruptedException {
        start(4, new ToolSlots(Map.of("openai", 2)));
        whenAssigned(() -> {
            for (int offset = 0; offset < 4; offset++) {
                consumer.addRecord(task(offset, "llm_" + offset, "openai.chat", null));
            }
            consumer.addRecord(task(4, "echo_4", "echo.run", null));
            consumer.addRecord(task(5, "echo_5", "echo.run", null));
        });

        Await.until(() -> "four tasks started, got " + running.keySet(), () -> running.size() == 4, DEADLINE);
        assertEquals(Set.of("llm_0", "llm_1", "echo_4", "echo_5"), running.keySet(),
                "two LLM tasks at most; the echo tasks behind the waiting ones took the free slots");
        assertEquals(2, tasks.waiting());

        running.get("echo_4").complete(null);
        running.get("echo_5").complete(null);
        awaitPolls(3);
        assertFalse(running.containsKey("llm_2"), "free worker slots do not lift the tool's own limit");
        assertEquals(Optional.of(0L), committed(), "nothing past the unfinished LLM tasks is committed");

        running.get("llm_0").complete(null);
        Await.until("a freed LLM slot starts the next waiting LLM task", () -> running.containsKey("llm_2"), DEADLINE);
        assertFalse(running.containsKey("llm_3"));
        assertEquals(1, tasks.waiting());
    }

    @Test
    void shouldSkipTasksTheLastOwnerFinishedPastItsCommit() throws InterruptedException {
        start(10);
        // Subscribing clears a MockConsumer's commits, so the last owner's commit lands after it.
        consumer.schedulePollTask(() -> consumer.commitSync(Map.of(p0, new OffsetAndMetadata(0, "done:v1:1,3"))));
        whenAssigned(() -> {
            for (int offset = 0; offset < 5; offset++) {
                consumer.addRecord(task(offset, "tsk_" + offset, null));
            }
        });

        Await.until(() -> "tasks 0, 2 and 4 started, got " + running.keySet(), () -> running.size() == 3, DEADLINE);
        awaitPolls(3);
        assertEquals(Set.of("tsk_0", "tsk_2", "tsk_4"), running.keySet(), "1 and 3 finished under the last owner");
        assertEquals(2, tasks.skippedFinished());

        running.get("tsk_2").complete(null);
        Await.until(() -> "the commit records 1..3 finished, got " + consumer.committed(Set.of(p0)),
                () -> new OffsetAndMetadata(0, "done:v1:1-3").equals(consumer.committed(Set.of(p0)).get(p0)), DEADLINE);
        running.get("tsk_0").complete(null);
        running.get("tsk_4").complete(null);
        Await.until(() -> "committed offset 5, got " + committed(), () -> committed().equals(Optional.of(5L)), DEADLINE);
    }

    @Test
    void shouldNotLetALateCompletionFromBeforeARebalanceMoveTheOffset() throws InterruptedException {
        start(10);
        whenAssigned(() -> consumer.addRecord(task(0, "tsk_0", null)));
        Await.until("tsk_0 started", () -> running.containsKey("tsk_0"), DEADLINE);
        CompletableFuture<Void> firstCopy = running.remove("tsk_0");

        CountDownLatch moved = new CountDownLatch(1);
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of());
            consumer.rebalance(List.of(p0));
            consumer.seek(p0, 0);
            consumer.addRecord(task(0, "tsk_0", null));
            moved.countDown();
        });
        assertTrue(moved.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
        Await.until("the new assignment runs tsk_0 again", () -> running.containsKey("tsk_0"), DEADLINE);

        firstCopy.complete(null);
        Await.until("the late completion is applied", () -> tasks.inFlight() == 1, DEADLINE);
        awaitPolls(3);
        assertTrue(committed().isEmpty() || committed().equals(Optional.of(0L)),
                "the copy the new assignment runs is unfinished, so nothing is committed past it: " + committed());

        running.get("tsk_0").complete(null);
        Await.until(() -> "committed offset 1, got " + committed(), () -> committed().equals(Optional.of(1L)), DEADLINE);
    }

    @Test
    void shouldHandBackTasksStillRunningWhenTheShutdownGraceEnds() throws InterruptedException {
        start(10, Duration.ofMillis(200));
        whenAssigned(() -> {
            consumer.addRecord(task(0, "tsk_0", null));
            consumer.addRecord(task(1, "tsk_1", null));
        });
        Await.until("both started", () -> running.size() == 2, DEADLINE);
        running.get("tsk_1").complete(null);

        tasks.stop();
        Await.until("the consumer stopped once the grace ended", tasks::isStopped, DEADLINE);

        assertEquals(new OffsetAndMetadata(0, "done:v1:1"), lastCommit.get().get(p0),
                "tsk_0 is handed back uncommitted; tsk_1 is recorded as finished");
        assertTrue(consumer.closed());
    }

    private void start(int concurrency) {
        start(concurrency, ToolSlots.unlimited(), Duration.ofSeconds(5));
    }

    private void start(int concurrency, ToolSlots toolSlots) {
        start(concurrency, toolSlots, Duration.ofSeconds(5));
    }

    private void start(int concurrency, Duration grace) {
        start(concurrency, ToolSlots.unlimited(), grace);
    }

    private void start(int concurrency, ToolSlots toolSlots, Duration grace) {
        consumer.updateBeginningOffsets(Map.of(p0, 0L));
        TaskHandler handler = (task, requestId) -> {
            if (requestId != null) {
                requestIds.add(requestId);
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            running.put(task.taskId(), done);
            return done;
        };
        tasks = new TaskConsumer(consumer, topic, handler, concurrency, toolSlots, Duration.ofMillis(5), grace);
        pollThread = new Thread(tasks, "test-poll");
        pollThread.start();
    }

    private void whenAssigned(Runnable addRecords) {
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(p0));
            addRecords.run();
        });
        Await.until("consumer joined", tasks::isReady, DEADLINE);
    }

    /** Waits until the poll loop went round this many more times. */
    private void awaitPolls(int polls) throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(polls);
        for (int i = 0; i < polls; i++) {
            consumer.schedulePollTask(latch::countDown);
        }
        assertTrue(latch.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS), "poll loop is running");
    }

    private Optional<Long> committed() {
        OffsetAndMetadata offset = consumer.committed(Set.of(p0)).get(p0);
        return Optional.ofNullable(offset).map(OffsetAndMetadata::offset);
    }

    private ConsumerRecord<byte[], byte[]> task(long offset, String taskId, String requestId) {
        return task(offset, taskId, "echo.run", requestId);
    }

    private ConsumerRecord<byte[], byte[]> task(long offset, String taskId, String name, String requestId) {
        TaskMessage task = new TaskMessage(taskId, name, "agt_1", "agent", Json.mapper().createObjectNode(),
                null, null, null, null, Instant.parse("2024-01-01T00:00:00Z"), "default");
        ConsumerRecord<byte[], byte[]> record = record(offset, topic.valueSerde().serializer().serialize(topic.name(), task));
        if (requestId != null) {
            record.headers().add(RequestIdHeader.NAME, requestId.getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    private ConsumerRecord<byte[], byte[]> record(long offset, byte[] value) {
        return new ConsumerRecord<>(topic.name(), 0, offset, 0L, TimestampType.CREATE_TIME, 0, value.length,
                new byte[0], value, new RecordHeaders(), Optional.empty());
    }
}
