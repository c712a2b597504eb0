package io.taskgate.workers.execution;

import static io.taskgate.workers.tools.Tasks.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskgate.platform.audit.AuditLog;
import io.taskgate.platform.kafka.KafkaSender;
import io.taskgate.platform.secrets.SecretRedactor;
import io.taskgate.schemas.json.Json;
import io.taskgate.schemas.tasks.TaskEvent;
import io.taskgate.schemas.tasks.TaskEvent.Kind;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.topics.TopicSpec;
import io.taskgate.schemas.topics.Topics;
import io.taskgate.tool.api.Tool;
import io.taskgate.tool.api.ToolException;
import io.taskgate.workers.cache.ResponseCache;
import io.taskgate.workers.resilience.ToolPolicy;
import io.taskgate.workers.resilience.ToolResilience;
import io.taskgate.workers.tools.ToolRegistry;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A service that echoes the key it was sent: the key never reaches a task event, dead letter or audit record. */
class TaskRunnerRedactionTest {
    private static final String KEY = "sk-echoed/back+7d1e";
    private static final Duration FAST = Duration.ofMillis(1);

    private final Topics topics = new Topics("unit");
    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final Clock clock = Clock.fixed(Instant.parse("2024-05-01T12:00:00Z"), ZoneOffset.UTC);

    @AfterEach
    void shutdown() {
        scheduler.shutdownNow();
    }

    @Test
    void shouldMaskAnEchoedKeyInEveryAttemptsErrorAndTheDeadLetter() throws Exception {
        runner().handle(task("tsk_e", "echoing.fail", "{}"), "req-e").toCompletableFuture().get(5, TimeUnit.SECONDS);

        List<TaskEvent> events = events();
        assertEquals(List.of(Kind.STARTED, Kind.ATTEMPT_FAILED, Kind.ATTEMPT_FAILED, Kind.FAILED),
                events.stream().map(TaskEvent::event).toList());
        assertEquals("the service answered 500: invalid api_key **** (also ****)", events.get(3).error().message());
        assertNoRecordCarriesTheKey();
    }

    @Test
    void shouldMaskAnEchoedKeyInAResultAndItsFieldNames() throws Exception {
        runner().handle(task("tsk_r", "echoing.answer", "{}"), "req-r").toCompletableFuture().get(5, TimeUnit.SECONDS);

        TaskEvent succeeded = events().get(1);
        assertEquals(Json.mapper().readTree("{\"echo\": {\"auth\": \"Bearer ****\", \"****\": [1, \"****\"]}, \"n\": 2}"),
                succeeded.result());
        assertNoRecordCarriesTheKey();
    }

    private void assertNoRecordCarriesTheKey() {
        assertFalse(producer.history().isEmpty());
        producer.history().forEach(record -> assertFalse(new String(record.value(), StandardCharsets.UTF_8).contains(KEY),
                () -> record.topic() + " carries the key"));
        assertTrue(producer.history().stream().anyMatch(record -> record.topic().equals(topics.audit().name())));
    }

    private TaskRunner runner() {
        Tool echoing = new Tool() {
            @Override
            public String name() {
                return "echoing";
            }

            @Override
            public Set<String> actions() {
                return Set.of("fail", "answer");
            }

            @Override
            public CompletionStage<JsonNode> run(TaskMessage task) {
                if (task.name().endsWith(".fail")) {
                    return CompletableFuture.failedFuture(ToolException.transientFailure(
                            "the service answered 500: invalid api_key " + KEY + " (also " + URLEncoder.encode(KEY, StandardCharsets.UTF_8) + ")", null));
                }
                try {
                    return CompletableFuture.completedFuture(Json.mapper().readTree(
                            "{\"echo\": {\"auth\": \"Bearer " + KEY + "\", \"" + KEY + "\": [1, \"" + KEY + "\"]}, \"n\": 2}"));
                } catch (Exception e) {
                    return CompletableFuture.failedFuture(e);
                }
            }
        };
        ToolResilience resilience = new ToolResilience(List.of(
                ToolPolicy.standard("echoing", Duration.ofSeconds(5)).withBackoff(FAST, FAST)), scheduler, clock, Map.of());
        KafkaSender sender = new KafkaSender(producer);
        TaskReporter reporter = new TaskReporter(sender, topics, new AuditLog(sender, topics, "worker", scheduler, clock, metrics), scheduler,
                clock, metrics);
        return new TaskRunner(new ToolRegistry(List.of(echoing)), resilience, reporter, id -> false, clock, metrics, "default",
                ResponseCache.none(metrics), SecretRedactor.of(List.of(KEY)));
    }

    private List<TaskEvent> events() {
        TopicSpec<String, TaskEvent> topic = topics.taskEvents();
        return producer.history().stream().filter(record -> record.topic().equals(topic.name()))
                .map(record -> topic.valueSerde().deserializer().deserialize(topic.name(), record.value())).toList();
    }
}
