package io.taskgate.policy.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.kafka.KafkaSender;
import io.taskgate.platform.kafka.TopicPartitions;
import io.taskgate.policy.PolicyStreamConfig;
import io.taskgate.schemas.json.Json;
import io.taskgate.schemas.tasks.TaskEvent;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.tools.ToolCatalog;
import io.taskgate.schemas.topics.TopicSpec;
import io.taskgate.schemas.topics.Topics;
import io.taskgate.schemas.workflows.RunCommand;
import io.taskgate.schemas.workflows.StepRun;
import io.taskgate.schemas.workflows.WorkflowDefinition;
import io.taskgate.schemas.workflows.WorkflowParser;
import io.taskgate.schemas.workflows.WorkflowRun;
import io.taskgate.testing.Await;
import io.taskgate.testing.TestKafka;
import io.taskgate.testing.WithKafka;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The coordinator over the real broker: a run survives losing its coordinator between two steps. */
@WithKafka
class WorkflowCoordinatorIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String CHAIN = """
            steps:
              first: {task: echo.run, input: {n: 1}}
              second: {task: echo.run, needs: [first], input: {n: "${steps.first.result.n}"}}
              third: {task: echo.run, needs: [second], input: {n: "${steps.second.result.n}"}}
            """;

    @TempDir
    Path dir;

    @Test
    void shouldFinishARunAfterTheCoordinatorIsReplacedBetweenTwoStepsRunningEachStepOnce(TestKafka kafka) throws Exception {
        Topics topics = kafka.topics();
        KafkaClients clients = kafka.clients();
        WorkflowRun run = newRun();
        List<TaskMessage> requested = new ArrayList<>();
        try (KafkaSender sender = new KafkaSender(clients.newProducer("it-workflows"));
             Reader<TaskMessage> tasks = new Reader<>(clients, topics.requested());
             Reader<WorkflowRun> views = new Reader<>(clients, topics.workflowRuns())) {
            WorkflowCoordinator first = WorkflowCoordinator.start(config(kafka, "first"), kafka.clients(), metrics(), Clock.systemUTC());
            try {
                Await.until("first coordinator running", first::isReady, DEADLINE);
                sender.send(topics.workflowCommands(), run.runId(), RunCommand.start(run, "req_it", Instant.now())).get();
                TaskMessage stepOne = awaitTask(tasks, requested, 1);
                sender.send(topics.taskEvents(), stepOne.taskId(), TaskEvent.succeeded(stepOne, 1, stepOne.input(), Instant.now())).get();
                awaitTask(tasks, requested, 2);
            } finally {
                first.close();
            }

            // The second step ends while no coordinator runs; a new one, with none of the old one's
            // local state, must pick it up from Kafka.
            TaskMessage stepTwo = requested.get(1);
            sender.send(topics.taskEvents(), stepTwo.taskId(), TaskEvent.succeeded(stepTwo, 1, stepTwo.input(), Instant.now())).get();
            try (WorkflowCoordinator second = WorkflowCoordinator.start(config(kafka, "second"), kafka.clients(), metrics(), Clock.systemUTC())) {
                TaskMessage stepThree = awaitTask(tasks, requested, 3);
                sender.send(topics.taskEvents(), stepThree.taskId(), TaskEvent.succeeded(stepThree, 1, stepThree.input(), Instant.now())).get();
                List<WorkflowRun> seen = new ArrayList<>();
                Await.until("run to succeed", () -> {
                    seen.addAll(views.poll());
                    return !seen.isEmpty() && seen.get(seen.size() - 1).status() == WorkflowRun.Status.SUCCEEDED;
                }, DEADLINE);
                WorkflowRun ended = seen.get(seen.size() - 1);
                assertTrue(ended.steps().values().stream().allMatch(step -> step.status() == StepRun.Status.SUCCEEDED && step.attempts() == 1),
                        ended.steps()::toString);
                assertEquals(1, ended.steps().get("third").result().get("n").asInt());

                requested.addAll(tasks.poll());
                assertEquals(3, requested.size(), "each step's task was requested once: " + requested);
                assertEquals(3, requested.stream().map(TaskMessage::taskId).distinct().count());
            }
        }
    }

    private static TaskMessage awaitTask(Reader<TaskMessage> tasks, List<TaskMessage> requested, int count) {
        Await.until(count + " step task(s) requested", () -> {
            requested.addAll(tasks.poll());
            return requested.size() >= count;
        }, DEADLINE);
        return requested.get(count - 1);
    }

    private WorkflowRun newRun() {
        WorkflowDefinition definition = new WorkflowParser(ToolCatalog.builtIn()).parse(CHAIN);
        Map<String, StepRun> steps = new LinkedHashMap<>();
        definition.steps().forEach((id, step) -> steps.put(id, StepRun.waiting(step.task())));
        return new WorkflowRun("run_" + "a".repeat(32), "chain", 1, WorkflowRun.Status.RUNNING, "agt_it", "it", List.of(),
                Json.mapper().createObjectNode(), null, definition, steps, null, Instant.now(), null);
    }

    private PolicyStreamConfig config(TestKafka kafka, String instance) {
        return PolicyStreamConfig.from(ConfigSource.of(Map.of(
                Setting.KAFKA_BOOTSTRAP, kafka.bootstrapServers(),
                Setting.TOPIC_PREFIX, kafka.topics().prefix(),
                Setting.STATE_DIR, dir.resolve(instance).toString())));
    }

    private static PrometheusMeterRegistry metrics() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    /** Reads one topic from the beginning, committed records only, as the services downstream do. */
    private static final class Reader<V> implements AutoCloseable {
        private final TopicSpec<String, V> topic;
        private final Consumer<byte[], byte[]> consumer;

        Reader(KafkaClients clients, TopicSpec<String, V> topic) {
            this.topic = topic;
            this.consumer = clients.newConsumer("it-" + topic.name(), null);
            TopicPartitions.assignFromStart(consumer, topic.name(), DEADLINE);
        }

        List<V> poll() {
            List<V> values = new ArrayList<>();
            consumer.poll(Duration.ofMillis(100)).forEach(record -> Optional
                    .ofNullable(topic.valueSerde().deserializer().deserialize(topic.name(), record.value())).ifPresent(values::add));
            return values;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
