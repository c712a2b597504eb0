package io.taskgate.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.kafka.KafkaSender;
import io.taskgate.platform.ops.Metrics;
import io.taskgate.schemas.json.Json;
import io.taskgate.schemas.tasks.TaskEvent;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.topics.Topics;
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
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Workers joining and leaving a busy pool, over the real broker: every task succeeds, and no task
 * that finished is started again. Short tasks finish within the handover wait and run once; the
 * long one, still running when its partition moves, may run on its new owner too (it had not
 * finished), and everything finished past it is skipped.
 */
@WithKafka
class WorkerRebalanceIT {
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String POOL = "default";
    private static final int BATCH = 60;
    private static final String LONG_TASK = "tsk_long";

    private final List<WorkerService> workers = new ArrayList<>();
    private final Random random = new Random(11);

    @AfterEach
    void stopWorkers() {
        workers.forEach(WorkerService::close);
    }

    @Test
    void shouldNotRunAFinishedTaskAgainWhenAWorkerJoinsAndWhenOneLeaves(TestKafka kafka) throws Exception {
        Topics topics = kafka.topics();
        KafkaClients clients = kafka.clients();
        try (KafkaSender sender = new KafkaSender(clients.newProducer("rebalance-it-producer"));
             TaskEventLog log = new TaskEventLog(clients, topics.taskEvents())) {
            WorkerService first = start(kafka, Metrics.newRegistry("first"));
            Await.until("the first worker joined", first::isReady, DEADLINE);

            // The long task holds its partition's commit point while the tasks after it finish.
            send(sender, topics, LONG_TASK, 20_000).get(30, TimeUnit.SECONDS);
            List<String> all = new ArrayList<>(List.of(LONG_TASK));
            all.addAll(sendBatch(sender, topics, "a"));
            List<String> firstBatch = List.copyOf(all.subList(1, all.size()));
            Await.until("the first batch succeeded", () -> log.poll().allSucceeded(firstBatch), DEADLINE);

            PrometheusMeterRegistry secondMetrics = Metrics.newRegistry("second");
            WorkerService second = start(kafka, secondMetrics);
            all.addAll(sendUntil(sender, topics, "b", () -> partitions(secondMetrics) > 0));
            all.addAll(sendBatch(sender, topics, "b-after"));
            Await.until("everything sent while the second worker joined succeeded", () -> log.poll().allSucceeded(all.subList(1, all.size())), DEADLINE);

            all.addAll(sendBatch(sender, topics, "c"));
            first.close();
            all.addAll(sendBatch(sender, topics, "c-after"));
            Await.until(() -> "every task succeeded; missing " + all.stream().filter(id -> log.count(id, TaskEvent.Kind.SUCCEEDED) == 0).toList(),
                    () -> log.poll().allSucceeded(all), DEADLINE);
            assertEquals(6.0, partitions(secondMetrics), "the second worker owns every partition once the first left");

            assertEquals(List.of(), log.startedAfterSucceeding(), "finished tasks started again");
            assertTrue(secondMetrics.get("taskgate_worker_finished_skipped").functionCounter().count() > 0,
                    "the long task's partition moved to the second worker, which skipped what had finished past it");
            List<String> startedTwice = all.stream()
                    .filter(id -> !id.equals(LONG_TASK) && log.count(id, TaskEvent.Kind.STARTED) != 1)
                    .map(id -> id + " " + log.events(id)).toList();
            assertEquals(List.of(), startedTwice, "tasks short enough to finish within the handover wait run once");
        }
    }

    private static double partitions(PrometheusMeterRegistry metrics) {
        return metrics.get("taskgate_worker_partitions").gauge().value();
    }

    /** Keeps tasks coming, a few every 100 ms, until the condition holds. */
    private List<String> sendUntil(KafkaSender sender, Topics topics, String name, BooleanSupplier done) throws Exception {
        List<String> ids = new ArrayList<>();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "the condition held within " + DEADLINE);
            for (int i = 0; i < 4; i++) {
                String id = "tsk_" + name + "_" + ids.size();
                ids.add(id);
                send(sender, topics, id, 20 + random.nextInt(600)).get(30, TimeUnit.SECONDS);
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        return ids;
    }

    private WorkerService start(TestKafka kafka, PrometheusMeterRegistry metrics) {
        WorkerService worker = WorkerService.start(WorkerConfig.from(ConfigSource.of(Map.of(
                Setting.KAFKA_BOOTSTRAP, kafka.bootstrapServers(),
                Setting.TOPIC_PREFIX, kafka.topics().prefix(),
                Setting.WORKER_POOL, POOL,
                Setting.WORKER_CONCURRENCY, "16",
                // Long enough for every short task in flight, shorter than the long one.
                Setting.SHUTDOWN_GRACE_S, "5"))), kafka.clients(), metrics, Clock.systemUTC());
        workers.add(worker);
        return worker;
    }

    /** Sleep tasks of varied lengths, spread over the partitions by their ids. */
    private List<String> sendBatch(KafkaSender sender, Topics topics, String name) throws Exception {
        List<String> ids = new ArrayList<>();
        List<CompletableFuture<?>> acks = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            String id = "tsk_" + name + "_" + i;
            ids.add(id);
            acks.add(send(sender, topics, id, 20 + random.nextInt(600)));
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        return ids;
    }

    private static CompletableFuture<?> send(KafkaSender sender, Topics topics, String id, int sleepMs) throws Exception {
        TaskMessage task = new TaskMessage(id, "sleep.run", "agt_it", "it", Json.mapper().readTree("{\"ms\": " + sleepMs + "}"),
                null, "req-" + id, null, null, Instant.now(), POOL);
        return sender.send(topics.ready(POOL), id, task, RequestIdHeader.of(task.requestId()));
    }
}
