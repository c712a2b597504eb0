package io.taskgate.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.kafka.KafkaSender;
import io.taskgate.platform.kafka.TopicPartitions;
import io.taskgate.platform.ops.Metrics;
import io.taskgate.platform.secrets.ToolSecrets;
import io.taskgate.schemas.json.Json;
import io.taskgate.schemas.tasks.TaskEvent;
import io.taskgate.schemas.tasks.TaskEvent.Kind;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.topics.Topics;
import io.taskgate.testing.Await;
import io.taskgate.testing.TeeOutputStream;
import io.taskgate.testing.TestKafka;
import io.taskgate.testing.WithKafka;
import io.taskgate.workers.consume.RequestIdHeader;
import io.taskgate.workers.tools.OutsideToolsConfig;
import io.taskgate.workers.tools.outside.FakeApiServer;
import io.taskgate.workers.tools.outside.FakeApiServer.Answer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker runs the outside tools against local servers that speak their protocols, with secrets that never leak. */
@WithKafka
class WorkerToolsIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String POOL = "default";
    private static final String OPENAI_KEY = "sk-recognisable-openai-9f3a";
    private static final String SERPAPI_KEY = "serp-recognisable-key-41c7";
    private static final String COMPLETION = """
            {"model": "local-llm", "choices": [{"message": {"role": "assistant", "content": "Hi"}, "finish_reason": "stop"}],
             "usage": {"prompt_tokens": 4, "completion_tokens": 1, "total_tokens": 5}}""";

    @TempDir
    Path dataDir;

    @Test
    void shouldRunSearchLlmAndMailWithCachedRepeatsAndNoSecretInAnyRecordOrLogLine(TestKafka kafka) throws Exception {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        // slf4j-simple writes to whatever System.err is at the time of each line.
        System.setErr(new PrintStream(new TeeOutputStream(originalErr, log), true, StandardCharsets.UTF_8));
        try {
            runToolsAndSearchTopics(kafka);
        } finally {
            System.setErr(originalErr);
        }
        String logged = log.toString(StandardCharsets.UTF_8);
        assertTrue(logged.contains("worker of pool default started"), "the worker's log lines were captured");
        assertFalse(logged.contains(OPENAI_KEY) || logged.contains(SERPAPI_KEY), "no log line carries a secret");
    }

    private void runToolsAndSearchTopics(TestKafka kafka) throws Exception {
        Topics topics = kafka.topics();
        KafkaClients clients = kafka.clients();
        GreenMail smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        try (FakeApiServer serpApi = new FakeApiServer().answer(Answer.json(200, "{\"organic_results\": [{\"title\": \"Kafka\"}]}"));
             FakeApiServer openAi = new FakeApiServer().answer(Answer.json(200, COMPLETION));
             KafkaSender sender = new KafkaSender(clients.newProducer("tools-it-producer"));
             Consumer<byte[], byte[]> events = clients.newConsumer("tools-it-events", null)) {
            Map<Setting, String> settings = new EnumMap<>(Setting.class);
            settings.put(Setting.KAFKA_BOOTSTRAP, kafka.bootstrapServers());
            settings.put(Setting.TOPIC_PREFIX, topics.prefix());
            settings.put(Setting.WORKER_POOL, POOL);
            settings.put(Setting.DATA_DIR, dataDir.toString());
            settings.put(Setting.HTTP_FETCH_ALLOW_PRIVATE, "true");
            settings.put(Setting.SERPAPI_URL, serpApi.baseUrl(""));
            settings.put(Setting.OPENAI_BASE_URL, openAi.baseUrl("/v1"));
            settings.put(Setting.SMTP_HOST, "127.0.0.1");
            settings.put(Setting.SMTP_PORT, String.valueOf(smtp.getSmtp().getPort()));
            settings.put(Setting.SMTP_FROM, "gateway@taskgate.test");
            settings.put(Setting.SMTP_STARTTLS, "optional");
            settings.put(Setting.TOOLS, "{serpapi: {cache_ttl_s: 300}, openai: {concurrency: 2, retries: 1}}");
            ConfigSource config = ConfigSource.of(settings);
            ToolSecrets secrets = ToolSecrets.load(config, Map.of(
                    "TASKGATE_SECRET_OPENAI_API_KEY", OPENAI_KEY, "TASKGATE_SECRET_SERPAPI_API_KEY", SERPAPI_KEY));

            PrometheusMeterRegistry metrics = Metrics.newRegistry("test");
            WorkerService worker = WorkerService.start(WorkerConfig.from(config), OutsideToolsConfig.from(config), secrets,
                    clients, metrics, Clock.systemUTC());
            Map<String, TaskEvent> ended = new ConcurrentHashMap<>();
            List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();
            try {
                Await.until("worker joined its group", worker::isReady, DEADLINE);
                TopicPartitions.assignFromStart(events, topics.taskEvents().name(), Duration.ofSeconds(30));

                send(sender, topics, task("tsk_search_1", "serpapi.search", "{\"q\": \"kafka\"}"));
                send(sender, topics, task("tsk_chat", "openai.chat", "{\"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}"));
                send(sender, topics, task("tsk_chat_bad", "openai.chat", "{\"messages\": []}"));
                send(sender, topics, task("tsk_mail", "email.send", "{\"to\": [\"ann@example.test\"], \"subject\": \"Hi\", \"text\": \"x\"}"));
                awaitEnded(events, topics, ended, seen, "tsk_search_1", "tsk_chat", "tsk_chat_bad", "tsk_mail");
                send(sender, topics, task("tsk_search_2", "serpapi.search", "{\"q\": \"kafka\"}"));
                awaitEnded(events, topics, ended, seen, "tsk_search_2");
            } finally {
                worker.close();
                smtp.stop();
            }

            assertEquals(1, serpApi.received().size(), "the repeated search was answered from the cache");
            assertNull(ended.get("tsk_search_1").cached());
            assertEquals(Boolean.TRUE, ended.get("tsk_search_2").cached());
            assertEquals(ended.get("tsk_search_1").result(), ended.get("tsk_search_2").result());
            assertEquals(1.0, metrics.get("gateway_cache_hits").tag("tool", "serpapi").counter().count());

            assertEquals(Kind.SUCCEEDED, ended.get("tsk_chat").event());
            assertEquals(Json.mapper().readTree("{\"prompt_tokens\": 4, \"completion_tokens\": 1, \"total_tokens\": 5}"),
                    ended.get("tsk_chat").result().get("usage"));
            assertEquals("Bearer " + OPENAI_KEY, openAi.received().get(0).header("Authorization"));
            assertEquals(Kind.FAILED, ended.get("tsk_chat_bad").event());
            assertEquals("BAD_REQUEST", ended.get("tsk_chat_bad").error().codeName());
            assertTrue(ended.get("tsk_chat_bad").error().message().contains("messages must not be empty"));

            assertEquals(Kind.SUCCEEDED, ended.get("tsk_mail").event());
            assertEquals("ann@example.test", ended.get("tsk_mail").result().at("/accepted/0").asText());

            List<String> leaks = new ArrayList<>();
            for (String topic : List.of(topics.taskEvents().name(), topics.audit().name(), topics.deadLetters().name(),
                    topics.ready(POOL).name())) {
                for (byte[] value : readAll(clients, topic)) {
                    String text = new String(value, StandardCharsets.UTF_8);
                    if (text.contains(OPENAI_KEY) || text.contains(SERPAPI_KEY)) {
                        leaks.add(topic + ": " + text);
                    }
                }
            }
            assertTrue(leaks.isEmpty(), "no record carries a secret: " + leaks);
            assertTrue(Files.notExists(dataDir.resolve("secrets.enc")));
        }
    }

    private static void awaitEnded(Consumer<byte[], byte[]> events, Topics topics, Map<String, TaskEvent> ended,
                                   List<ConsumerRecord<byte[], byte[]>> seen, String... taskIds) {
        Await.until(() -> "tasks ended: " + List.of(taskIds) + ", got " + ended.keySet(), () -> {
            for (ConsumerRecord<byte[], byte[]> record : events.poll(Duration.ofMillis(100))) {
                seen.add(record);
                TaskEvent event = topics.taskEvents().valueSerde().deserializer().deserialize(record.topic(), record.value());
                if (event.event() == Kind.SUCCEEDED || event.event() == Kind.FAILED) {
                    ended.put(event.taskId(), event);
                }
            }
            return List.of(taskIds).stream().allMatch(ended::containsKey);
        }, DEADLINE);
    }

    /** Every record of a topic, read up to the end offsets it had when called. */
    private static List<byte[]> readAll(KafkaClients clients, String topic) {
        List<byte[]> values = new ArrayList<>();
        try (Consumer<byte[], byte[]> consumer = clients.newConsumer("tools-it-read-" + UUID.randomUUID(), null)) {
            List<TopicPartition> partitions = TopicPartitions.assignFromStart(consumer, topic, Duration.ofSeconds(30));
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Await.until(() -> "read " + topic + " to its end", () -> {
                consumer.poll(Duration.ofMillis(100))
                        .forEach(record -> values.add(record.value() == null ? new byte[0] : record.value()));
                return partitions.stream().allMatch(partition -> consumer.position(partition) >= ends.get(partition));
            }, DEADLINE);
        }
        return values;
    }

    private static void send(KafkaSender sender, Topics topics, TaskMessage task) throws Exception {
        sender.send(topics.ready(POOL), task.taskId(), task, RequestIdHeader.of(task.requestId())).get(30, TimeUnit.SECONDS);
    }

    private static TaskMessage task(String id, String name, String input) throws Exception {
        return new TaskMessage(id, name, "agt_it", "it", Json.mapper().readTree(input), null, "req-" + id, null, null,
                Instant.now(), POOL);
    }
}
