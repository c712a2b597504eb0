package io.taskgate.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.kafka.KafkaSender;
import io.taskgate.platform.ops.Metrics;
import io.taskgate.schemas.json.Json;
import io.taskgate.schemas.tasks.TaskEvent;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.testing.Await;
import io.taskgate.testing.TestKafka;
import io.taskgate.testing.WithKafka;
import io.taskgate.workers.consume.RequestIdHeader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A worker asked to stop while a task runs: within {@code TASKGATE_SHUTDOWN_GRACE_S} the task
 * finishes and is committed; past it, the task is handed back uncommitted and another worker runs it.
 */
@WithKafka
class WorkerShutdownIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String POOL = "default";

    private final List<WorkerService> workers = new ArrayList<>();

    @AfterEach
    void stopWorkers() {
        workers.forEach(WorkerService::close);
    }

    @Test
    void shouldFinishAndCommitARunningTaskWhenTheGraceIsLongEnough(TestKafka shared) throws Exception {
        TestKafka kafka = shared.fresh();
        WorkerService worker = start(kafka, 30);
        Await.until("worker joined", worker::isReady, DEADLINE);
        try (TaskEventLog log = new TaskEventLog(kafka.clients(), kafka.topics().taskEvents())) {
            RecordMetadata sent = send(kafka, "tsk_graceful", 3_000);
            Await.until("the task started", () -> log.poll().count("tsk_graceful", TaskEvent.Kind.STARTED) == 1, DEADLINE);

            worker.close();

            assertEquals(1, log.poll().count("tsk_graceful", TaskEvent.Kind.SUCCEEDED), "it finished before the worker stopped");
            assertEquals(sent.offset() + 1, committed(kafka, partitionOf(sent)), "and its offset is committed");
        }
    }

    @Test
    void shouldHandBackATaskStillRunningWhenTheGraceEndsForAnotherWorkerToRun(TestKafka shared) throws Exception {
        TestKafka kafka = shared.fresh();
        WorkerService first = start(kafka, 1);
        Await.until("worker joined", first::isReady, DEADLINE);
        try (TaskEventLog log = new TaskEventLog(kafka.clients(), kafka.topics().taskEvents())) {
            RecordMetadata sent = send(kafka, "tsk_long", 8_000);
            Await.until("the task started", () -> log.poll().count("tsk_long", TaskEvent.Kind.STARTED) == 1, DEADLINE);

            long closing = System.nanoTime();
            first.close();
            long closedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing);

            assertTrue(closedMs < 7_000, "the worker stopped after its 1 s grace, not the task's 8 s: " + closedMs + " ms");
            assertEquals(0, log.poll().count("tsk_long", TaskEvent.Kind.SUCCEEDED), "nothing half-done was reported");
            assertTrue(committed(kafka, partitionOf(sent)) <= sent.offset(), "the unfinished task's offset is not committed");

            WorkerService second = start(kafka, 30);
            Await.until("another worker ran the task to the end",
                    () -> log.poll().count("tsk_long", TaskEvent.Kind.SUCCEEDED) == 1, DEADLINE);
            assertEquals(2, log.count("tsk_long", TaskEvent.Kind.STARTED), "started by the first worker, then by the second");
            Await.until("the second worker committed it", () -> committed(kafka, partitionOf(sent)) == sent.offset() + 1, DEADLINE);
            assertTrue(second.isReady());
        }
    }

    private WorkerService start(TestKafka kafka, int graceSeconds) {
        WorkerService worker = WorkerService.start(WorkerConfig.from(ConfigSource.of(Map.of(
                Setting.KAFKA_BOOTSTRAP, kafka.bootstrapServers(),
                Setting.TOPIC_PREFIX, kafka.topics().prefix(),
                Setting.WORKER_POOL, POOL,
                Setting.SHUTDOWN_GRACE_S, String.valueOf(graceSeconds)))), kafka.clients(), Metrics.newRegistry("it"),
                Clock.systemUTC());
        workers.add(worker);
        return worker;
    }

    private static RecordMetadata send(TestKafka kafka, String id, int sleepMs) throws Exception {
        TaskMessage task = new TaskMessage(id, "sleep.run", "agt_it", "it", Json.mapper().readTree("{\"ms\": " + sleepMs + "}"),
                null, "req-" + id, null, null, Instant.now(), POOL);
        try (KafkaSender sender = new KafkaSender(kafka.clients().newProducer("shutdown-it-producer"))) {
            return sender.send(kafka.topics().ready(POOL), id, task, RequestIdHeader.of(task.requestId())).get(30, TimeUnit.SECONDS);
        }
    }

    private static TopicPartition partitionOf(RecordMetadata sent) {
        return new TopicPartition(sent.topic(), sent.partition());
    }

    /** The group's committed offset of the partition; 0 when none. */
    private static long committed(TestKafka kafka, TopicPartition partition) {
        String group = kafka.topics().prefix() + "-workers-" + POOL;
        try (Admin admin = kafka.clients().newAdmin("shutdown-it-admin")) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS).get(partition);
            return offset == null ? 0 : offset.offset();
        } catch (Exception e) {
            throw new AssertionError("cannot read the committed offsets of " + group, e);
        }
    }
}
