package io.taskgate.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.kafka.KafkaSender;
import io.taskgate.platform.kafka.TopicPartitions;
import io.taskgate.platform.ops.Metrics;
import io.taskgate.schemas.json.Json;
import io.taskgate.schemas.tasks.TaskCancellation;
import io.taskgate.schemas.tasks.TaskEvent.Kind;
import io.taskgate.schemas.tasks.TaskEvent;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.topics.TopicSpec;
import io.taskgate.schemas.topics.Topics;
import io.taskgate.workers.consume.RequestIdHeader;
import io.taskgate.testing.Await;
import io.taskgate.testing.TestKafka;
import io.taskgate.testing.WithKafka;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

@WithKafka
class WorkerIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String POOL = "default";


    @Test
    void shouldRunFastTasksPastASlowOneAndCommitEverythingWhenDone(TestKafka kafka) throws Exception {
        Topics topics = kafka.topics();
        KafkaClients clients = kafka.clients();
        WorkerConfig config = WorkerConfig.from(ConfigSource.of(Map.of(
                Setting.KAFKA_BOOTSTRAP, kafka.bootstrapServers(),
                Setting.TOPIC_PREFIX, topics.prefix(),
                Setting.WORKER_POOL, POOL)));

        try (Admin admin = clients.newAdmin("worker-it-admin");
             KafkaSender sender = new KafkaSender(clients.newProducer("worker-it-producer"));
             Consumer<byte[], byte[]> events = clients.newConsumer("worker-it-events", null)) {
            sender.send(topics.cancellations(), "tsk_cancelled", new TaskCancellation("tsk_cancelled", "agt_it", Instant.now()))
                    .get(30, TimeUnit.SECONDS);

            PrometheusMeterRegistry metrics = Metrics.newRegistry("test");
            WorkerService worker = WorkerService.start(config, clients, metrics, Clock.systemUTC());
            try {
                Await.until("worker joined its group", worker::isReady, DEADLINE);

                send(sender, topics, task("tsk_sleep", "sleep.run", "{\"ms\": 5000}"));
                List<String> echoIds = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    String id = "tsk_echo_" + i;
                    echoIds.add(id);
                    send(sender, topics, task(id, "echo.run", "{\"n\": " + i + "}"));
                }
                send(sender, topics, task("tsk_cancelled", "echo.run", "{}"));

                Map<String, TaskEvent> succeeded = new ConcurrentHashMap<>();
                List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
                TopicPartitions.assignFromStart(events, topics.taskEvents().name(), Duration.ofSeconds(30));
                Await.until(() -> "21 succeeded events, got " + succeeded.keySet(), () -> {
                    for (ConsumerRecord<byte[], byte[]> record : events.poll(Duration.ofMillis(100))) {
                        all.add(record);
                        TaskEvent event = decode(topics.taskEvents(), record);
                        if (event.event() == Kind.SUCCEEDED) {
                            succeeded.put(event.taskId(), event);
                        }
                    }
                    return succeeded.size() == 21;
                }, DEADLINE);

                Instant sleepDone = succeeded.get("tsk_sleep").at();
                for (String id : echoIds) {
                    assertTrue(succeeded.get(id).at().isBefore(sleepDone), id + " finished before the 5 s sleep did");
                }
                assertEquals(Json.mapper().readTree("{\"n\": 7}"), succeeded.get("tsk_echo_7").result());
                assertEquals(Json.mapper().readTree("{\"slept_ms\": 5000}"), succeeded.get("tsk_sleep").result());
                assertTrue(all.stream().allMatch(record -> ("req-" + decode(topics.taskEvents(), record).taskId())
                        .equals(RequestIdHeader.read(record.headers()))), "every event carries the task's request id");
                assertFalse(all.stream().anyMatch(record -> decode(topics.taskEvents(), record).taskId().equals("tsk_cancelled")),
                        "a cancelled task runs not and says nothing");

                Map<TopicPartition, Long> ends = endOffsets(admin, topics.ready(POOL));
                Await.until(() -> "committed offsets reach the end " + ends + ", got " + committed(admin, config.consumerGroup()), () -> committed(admin, config.consumerGroup()).equals(ends), DEADLINE);

                assertEquals(20, metrics.get("taskgate_worker_tasks").tags("tool", "echo", "outcome", "succeeded").timer().count());
                assertEquals(0.0, metrics.get("taskgate_worker_in_flight").gauge().value());
            } finally {
                worker.close();
            }
            assertFalse(worker.isReady());
        }
    }

    private static void send(KafkaSender sender, Topics topics, TaskMessage task) throws Exception {
        sender.send(topics.ready(POOL), task.taskId(), task, RequestIdHeader.of(task.requestId())).get(30, TimeUnit.SECONDS);
    }

    private static TaskMessage task(String id, String name, String input) throws Exception {
        return new TaskMessage(id, name, "agt_it", "it", Json.mapper().readTree(input), null, "req-" + id, null, null,
                Instant.now(), POOL);
    }

    private static <V> V decode(TopicSpec<String, V> topic, ConsumerRecord<byte[], byte[]> record) {
        return topic.valueSerde().deserializer().deserialize(topic.name(), record.value());
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, TopicSpec<?, ?> topic) throws Exception {
        Set<TopicPartition> partitions = admin.describeTopics(List.of(topic.name())).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(topic.name()).partitions().stream()
                .map(info -> new TopicPartition(topic.name(), info.partition()))
                .collect(Collectors.toSet());
        return admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                .all().get(30, TimeUnit.SECONDS).entrySet().stream()
                .filter(entry -> entry.getValue().offset() > 0)
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset()));
    }

    private static Map<TopicPartition, Long> committed(Admin admin, String group) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            return offsets.entrySet().stream()
                    .filter(entry -> entry.getValue() != null && entry.getValue().offset() > 0)
                    .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset()));
        } catch (Exception e) {
            throw new AssertionError("cannot read committed offsets of " + group, e);
        }
    }
}
