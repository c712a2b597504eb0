package io.taskgate.workers;


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
import io.taskgate.schemas.topics.TopicSpec;
import io.taskgate.schemas.topics.Topics;
import io.taskgate.workers.consume.RequestIdHeader;
import io.taskgate.testing.Await;
import io.taskgate.testing.PrivateKafka;
import io.taskgate.testing.TestKafka;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A task that ends while the broker is away for longer than the producer's delivery timeout: its
 * outcome must still reach {@code task-events} once the broker is back, or it would show running forever.
 */
class WorkerOutageIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String POOL = "default";

    /** A broker of its own: this test stops and restarts it, which the shared broker must never see. */
    @RegisterExtension
    final PrivateKafka kafka = new PrivateKafka();

    private WorkerService worker;

    @AfterEach
    void stopWorker() {
        if (worker != null) {
            worker.close();
        }
    }

    @Test
    void shouldRecordTheOutcomeOfATaskThatEndedWhileTheBrokerWasDown() throws Exception {
        TestKafka provisioned = kafka.start(List.of(POOL));
        Topics topics = provisioned.topics();
        KafkaClients clients = provisioned.clients();
        PrometheusMeterRegistry metrics = Metrics.newRegistry("it");
        worker = WorkerService.start(WorkerConfig.from(ConfigSource.of(Map.of(
                Setting.KAFKA_BOOTSTRAP, provisioned.bootstrapServers(),
                Setting.TOPIC_PREFIX, topics.prefix(),
                Setting.WORKER_POOL, POOL))), clients, metrics, Clock.systemUTC());
        Await.until("worker joined its group", worker::isReady, DEADLINE);

        TaskMessage task = new TaskMessage("tsk_outage", "sleep.run", "agt_it", "it", Json.mapper().readTree("{\"ms\": 2000}"),
                null, "req-outage", null, null, Instant.now(), POOL);
        try (KafkaSender sender = new KafkaSender(clients.newProducer("outage-it-producer"))) {
            sender.send(topics.ready(POOL), task.taskId(), task, RequestIdHeader.of(task.requestId())).get(30, TimeUnit.SECONDS);
        }
        awaitEvent(clients, topics.taskEvents(), TaskEvent.Kind.STARTED);

        kafka.stop();
        Await.until("the succeeded event timed out and was scheduled again",
                () -> metrics.get("taskgate_worker_outcome_resends").counter().count() >= 1, DEADLINE);

        kafka.restart();
        awaitEvent(clients, topics.taskEvents(), TaskEvent.Kind.SUCCEEDED);
    }

    private static void awaitEvent(KafkaClients clients, TopicSpec<String, TaskEvent> events, TaskEvent.Kind kind) {
        try (Consumer<byte[], byte[]> consumer = clients.newConsumer("outage-it-events", null)) {
            TopicPartitions.assignFromStart(consumer, events.name(), DEADLINE);
            Await.until(() -> "a " + kind + " event for tsk_outage", () -> {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    TaskEvent event = events.valueSerde().deserializer().deserialize(events.name(), record.value());
                    if (event != null && "tsk_outage".equals(event.taskId()) && event.event() == kind) {
                        return true;
                    }
                }
                return false;
            }, DEADLINE);
        }
    }
}
