package io.taskgate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.kafka.TopicPartitions;
import io.taskgate.schemas.audit.AuditEvent;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.tasks.TaskEvent;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.topics.TopicSpec;
import io.taskgate.schemas.topics.Topics;
import io.taskgate.testing.Await;
import io.taskgate.testing.TestKafka;
import io.taskgate.testing.WithKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@WithKafka
class PolicyStreamIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(20);

    @TempDir
    Path dir;

    @Test
    void shouldEnforceThePolicyFileFromTheStart(TestKafka kafka) throws IOException {
        PolicyStreamConfig config = provisioned(kafka, "version: 1\ntasks:\n  echo.*:\n    rate_limit: 2/minute\n");
        Topics topics = config.kafka().topics();
        KafkaClients clients = new KafkaClients(config.kafka());
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

        try (PolicyStreamService service = PolicyStreamService.start(config, clients, metrics, Clock.systemUTC())) {
            Await.until("policy-stream ready", service::isReady, DEADLINE);
            requestThreeTasks(clients, topics, "agt_it");

            List<TaskMessage> ready = new ArrayList<>();
            List<TaskEvent> events = new ArrayList<>();
            List<AuditEvent> audit = new ArrayList<>();
            try (TopicReader<TaskMessage> readyReader = new TopicReader<>(clients, topics.ready(Topics.DEFAULT_POOL));
                 TopicReader<TaskEvent> eventReader = new TopicReader<>(clients, topics.taskEvents());
                 TopicReader<AuditEvent> auditReader = new TopicReader<>(clients, topics.audit())) {
                Await.until("two ready tasks, one rejection, three audit events", () -> {
                    ready.addAll(readyReader.poll());
                    events.addAll(eventReader.poll());
                    audit.addAll(auditReader.poll());
                    return ready.size() >= 2 && !events.isEmpty() && audit.size() >= 3;
                }, DEADLINE);
            }

            assertEquals(2, ready.size());
            assertEquals(1, events.size());
            assertEquals(3, audit.size());
            assertEquals(TaskEvent.Kind.REJECTED, events.get(0).event());
            assertEquals(ErrorCode.RATE_LIMITED, events.get(0).error().kind());
            assertTrue(metrics.scrape().contains("kafka_stream"), "Kafka Streams metrics are bound to the registry");
        }
    }

    @Test
    void shouldCountTheGlobalLimitAcrossAgentsThroughTheGlobalGate(TestKafka kafka) throws IOException {
        PolicyStreamConfig config = provisioned(kafka, "version: 1\ndefaults:\n  rate_limit: 100/minute\nglobal:\n  rate_limit: 2/minute\n");
        Topics topics = config.kafka().topics();
        KafkaClients clients = new KafkaClients(config.kafka());

        try (PolicyStreamService service = PolicyStreamService.start(config, clients,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC())) {
            Await.until("policy-stream ready", service::isReady, DEADLINE);
            for (int i = 0; i < 3; i++) {
                requestTask(clients, topics, "agt_" + i, "tsk_g" + i);
            }

            List<TaskMessage> ready = new ArrayList<>();
            List<TaskEvent> events = new ArrayList<>();
            try (TopicReader<TaskMessage> readyReader = new TopicReader<>(clients, topics.ready(Topics.DEFAULT_POOL));
                 TopicReader<TaskEvent> eventReader = new TopicReader<>(clients, topics.taskEvents())) {
                Await.until("three tasks ready or rejected", () -> {
                    ready.addAll(readyReader.poll());
                    events.addAll(eventReader.poll());
                    return ready.size() + events.size() >= 3;
                }, DEADLINE);
            }

            assertEquals(2, ready.size(), "two of three agents' tasks fit the global limit of 2/minute");
            assertEquals(1, events.size());
            assertEquals(ErrorCode.RATE_LIMITED, events.get(0).error().kind());
        }
    }

    private static void requestTask(KafkaClients clients, Topics topics, String agentId, String taskId) {
        TopicSpec<String, TaskMessage> requested = topics.requested();
        try (Producer<byte[], byte[]> producer = clients.newProducer("it-producer")) {
            Instant createdAt = Instant.now();
            TaskMessage task = new TaskMessage(taskId, "echo.run", agentId, "it-bot",
                    JsonNodeFactory.instance.objectNode(), null, "req-" + taskId, null, "127.0.0.1", createdAt, null);
            producer.send(new ProducerRecord<>(requested.name(), null, createdAt.toEpochMilli(),
                    requested.keySerde().serializer().serialize(requested.name(), agentId),
                    requested.valueSerde().serializer().serialize(requested.name(), task)));
            producer.flush();
        }
    }

    private static void requestThreeTasks(KafkaClients clients, Topics topics, String agentId) {
        for (int i = 0; i < 3; i++) {
            requestTask(clients, topics, agentId, "tsk_it" + i);
        }
    }

    /** Settings of a policy-stream on fresh topics (each test its own, for the rate limits), with {@code policyDocument} as its policy file. */
    private PolicyStreamConfig provisioned(TestKafka classKafka, String policyDocument) throws IOException {
        TestKafka kafka = classKafka.fresh();
        String prefix = kafka.topics().prefix();
        Path policy = Files.writeString(dir.resolve(prefix + ".yaml"), policyDocument);
        PolicyStreamConfig config = PolicyStreamConfig.from(ConfigSource.of(Map.of(
                Setting.KAFKA_BOOTSTRAP, kafka.bootstrapServers(),
                Setting.TOPIC_PREFIX, prefix,
                Setting.STATE_DIR, dir.resolve(prefix + "-state").toString(),
                Setting.POLICY_FILE, policy.toString())));
        return config;
    }

    /** Reads one topic from the beginning, committed records only, as the services downstream do. */
    private static final class TopicReader<V> implements AutoCloseable {
        private final TopicSpec<String, V> topic;
        private final Consumer<byte[], byte[]> consumer;

        TopicReader(KafkaClients clients, TopicSpec<String, V> topic) {
            this.topic = topic;
            this.consumer = clients.newConsumer("it-" + topic.name(), null);
            TopicPartitions.assignFromStart(consumer, topic.name(), DEADLINE);
        }

        List<V> poll() {
            List<V> values = new ArrayList<>();
            consumer.poll(Duration.ofMillis(100))
                    .forEach(record -> values.add(topic.valueSerde().deserializer().deserialize(topic.name(), record.value())));
            return values;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

}
