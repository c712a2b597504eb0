package io.taskgate.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.kafka.KafkaSender;
import io.taskgate.platform.kafka.TopicPartitions;
import io.taskgate.platform.ops.Metrics;
import io.taskgate.schemas.json.Json;
import io.taskgate.schemas.tasks.TaskEvent;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.topics.Topics;
import io.taskgate.testing.Await;
import io.taskgate.testing.TestKafka;
import io.taskgate.testing.WithKafka;
import io.taskgate.workers.consume.RequestIdHeader;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every task reaches a terminal status, however large its result: a page of more than 1 MiB over the real broker. */
@WithKafka
class ResultSizeIT {
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String POOL = "default";
    private static final int PAGE_BYTES = 1024 * 1024 + 200 * 1024;

    private HttpServer site;

    @BeforeEach
    void startSite() throws Exception {
        site = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // Letters at random: the producer compresses, and Kafka checks the compressed size.
        Random random = new Random(7);
        byte[] page = new byte[PAGE_BYTES];
        for (int i = 0; i < page.length; i++) {
            page[i] = (byte) ('a' + random.nextInt(26));
        }
        site.createContext("/big", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=us-ascii");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        site.start();
    }

    @AfterEach
    void stopSite() {
        site.stop(0);
    }

    @Test
    void shouldSucceedWithATruncatedBodyWhenFetchingAPageOverOneMebibyte(TestKafka kafka) throws Exception {
        TaskEvent outcome = fetchBigPage(kafka, "tsk_big_page");

        assertEquals(TaskEvent.Kind.SUCCEEDED, outcome.event(), "outcome: " + outcome.error());
        assertTrue(outcome.result().path("truncated").asBoolean(), "the body was cut at http_fetch's cap");
        assertEquals(1024 * 1024, outcome.result().path("body").asText().length());
    }

    @Test
    void shouldFailWithResultTooLargeAndCommitPastItWhenKafkaRefusesTheResult(TestKafka shared) throws Exception {
        TestKafka kafka = shared.fresh();
        try (Admin admin = kafka.clients().newAdmin("result-size-it-admin")) {
            // A topic stricter than Taskgate's own limits, as an operator's cluster might have: Kafka refuses the result.
            ConfigResource events = new ConfigResource(ConfigResource.Type.TOPIC, kafka.topics().taskEvents().name());
            admin.incrementalAlterConfigs(Map.of(events, List.of(new AlterConfigOp(
                    new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(256 * 1024)),
                    AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);

            TaskEvent outcome = fetchBigPage(kafka, "tsk_refused_page");

            assertEquals(TaskEvent.Kind.FAILED, outcome.event());
            assertEquals("RESULT_TOO_LARGE", outcome.error().codeName());
            assertTrue(outcome.error().message().matches("the result is \\d+ bytes, Kafka refused it.*"),
                    outcome.error().message());
        }
    }

    /** Runs one http_fetch.get of the big page in a worker and returns the task's terminal event. */
    private TaskEvent fetchBigPage(TestKafka kafka, String taskId) throws Exception {
        Topics topics = kafka.topics();
        KafkaClients clients = kafka.clients();
        WorkerConfig config = WorkerConfig.from(ConfigSource.of(Map.of(
                Setting.KAFKA_BOOTSTRAP, kafka.bootstrapServers(),
                Setting.TOPIC_PREFIX, topics.prefix(),
                Setting.WORKER_POOL, POOL,
                Setting.HTTP_FETCH_ALLOW_PRIVATE, "true")));
        String url = "http://127.0.0.1:" + site.getAddress().getPort() + "/big";
        TaskMessage task = new TaskMessage(taskId, "http_fetch.get", "agt_it", "it",
                Json.mapper().readTree("{\"url\": \"" + url + "\"}"), null, "req-" + taskId, null, null, Instant.now(), POOL);

        PrometheusMeterRegistry metrics = Metrics.newRegistry("test");
        try (KafkaSender sender = new KafkaSender(clients.newProducer("result-size-it"));
             Consumer<byte[], byte[]> events = clients.newConsumer("result-size-it-events", null);
             Admin admin = clients.newAdmin("result-size-it-offsets");
             WorkerService worker = WorkerService.start(config, clients, metrics, Clock.systemUTC())) {
            Await.until("worker joined its group", worker::isReady, DEADLINE);
            sender.send(topics.ready(POOL), taskId, task, RequestIdHeader.of(task.requestId())).get(30, TimeUnit.SECONDS);

            TopicPartitions.assignFromStart(events, topics.taskEvents().name(), Duration.ofSeconds(30));
            AtomicReference<TaskEvent> terminal = new AtomicReference<>();
            Await.until(() -> "a terminal event of " + taskId, () -> {
                for (ConsumerRecord<byte[], byte[]> record : events.poll(Duration.ofMillis(200))) {
                    TaskEvent event = topics.taskEvents().valueSerde().deserializer().deserialize(record.topic(), record.value());
                    if (event.event() == TaskEvent.Kind.SUCCEEDED || event.event() == TaskEvent.Kind.FAILED) {
                        terminal.set(event);
                    }
                }
                return terminal.get() != null;
            }, DEADLINE);

            TopicPartition partition = partitionOf(admin, topics.ready(POOL).name());
            long end = admin.listOffsets(Map.of(partition, OffsetSpec.latest())).all().get(30, TimeUnit.SECONDS)
                    .get(partition).offset();
            Await.until("the worker committed past the task once its outcome landed",
                    () -> committed(admin, config.consumerGroup(), partition) == end, DEADLINE);
            return terminal.get();
        }
    }

    private static TopicPartition partitionOf(Admin admin, String topic) throws Exception {
        for (TopicPartition partition : admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(topic).partitions().stream().map(info -> new TopicPartition(topic, info.partition())).toList()) {
            if (admin.listOffsets(Map.of(partition, OffsetSpec.latest())).all().get(30, TimeUnit.SECONDS)
                    .get(partition).offset() > 0) {
                return partition;
            }
        }
        throw new AssertionError("no task on " + topic);
    }

    private static long committed(Admin admin, String group, TopicPartition partition) {
        try {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS).get(partition);
            return offset == null ? -1 : offset.offset();
        } catch (Exception e) {
            throw new AssertionError("cannot read committed offsets of " + group, e);
        }
    }
}
