package io.taskgate.workers.execution;

import static io.taskgate.workers.tools.Tasks.json;
import static io.taskgate.workers.tools.Tasks.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskgate.platform.audit.AuditLog;
import io.taskgate.platform.audit.Redaction;
import io.taskgate.platform.kafka.KafkaSender;
import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.schemas.audit.AuditEvent;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.tasks.DeadLetter;
import io.taskgate.schemas.tasks.TaskEvent;
import io.taskgate.schemas.tasks.TaskEvent.Kind;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.topics.TopicSpec;
import io.taskgate.schemas.topics.Topics;
import io.taskgate.tool.api.Tool;
import io.taskgate.tool.api.ToolException;
import io.taskgate.workers.consume.RequestIdHeader;
import io.taskgate.workers.resilience.ToolPolicy;
import io.taskgate.workers.resilience.ToolResilience;
import io.taskgate.workers.tools.EchoTool;
import io.taskgate.workers.tools.SleepTool;
import io.taskgate.workers.tools.ToolRegistry;
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
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TaskRunnerTest {
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
    void shouldPublishStartedThenSucceededWithTheRequestIdAndAuditOnlyHashes() throws Exception {
        TaskMessage task = task("tsk_1", "echo.run", "{\"secret\": \"s3cr3t\"}");

        runner(id -> false).handle(task, "req-9").toCompletableFuture().get(5, TimeUnit.SECONDS);

        List<TaskEvent> events = events();
        assertEquals(List.of(Kind.STARTED, Kind.SUCCEEDED), kinds(events));
        assertEquals(1, events.get(0).attempt());
        assertEquals(json("{\"secret\": \"s3cr3t\"}"), events.get(1).result());
        assertEquals(1, events.get(1).attempt());
        for (ProducerRecord<byte[], byte[]> record : on(topics.taskEvents())) {
            assertEquals("tsk_1", new String(record.key(), StandardCharsets.UTF_8));
            assertEquals("req-9", RequestIdHeader.read(record.headers()));
        }

        List<AuditEvent> audit = audit();
        assertEquals(List.of(AuditAction.TASK_STARTED, AuditAction.TASK_SUCCEEDED), audit.stream().map(AuditEvent::action).toList());
        AuditEvent succeeded = audit.get(1);
        assertEquals("worker", succeeded.service());
        assertEquals("req-9", succeeded.requestId());
        assertEquals(Redaction.hash(json("{\"secret\": \"s3cr3t\"}")), succeeded.details().get("result_hash"));
        assertEquals("echo", succeeded.details().get("tool"));
        on(topics.audit()).forEach(record -> assertFalse(new String(record.value(), StandardCharsets.UTF_8).contains("s3cr3t"),
                "the audit trail never holds the input or result in clear"));

        assertEquals(1, metrics.get("taskgate_worker_tasks").tags("tool", "echo", "outcome", "succeeded").timer().count());
    }

    @Test
    void shouldReportRetriedAttemptsAndDeadLetterWhenRetriesRunOut() throws Exception {
        TaskMessage task = task("tsk_2", "flaky.call", "{}");

        runner(id -> false).handle(task, "req-2").toCompletableFuture().get(5, TimeUnit.SECONDS);

        List<TaskEvent> events = events();
        assertEquals(List.of(Kind.STARTED, Kind.ATTEMPT_FAILED, Kind.ATTEMPT_FAILED, Kind.FAILED), kinds(events));
        assertEquals(List.of(1, 1, 2, 3), events.stream().map(TaskEvent::attempt).toList());
        assertEquals(ErrorCode.TOOL_FAILED, events.get(3).error().kind());

        List<ProducerRecord<byte[], byte[]>> letters = on(topics.deadLetters());
        assertEquals(1, letters.size());
        DeadLetter letter = topics.deadLetters().valueSerde().deserializer().deserialize("dlq", letters.get(0).value());
        assertEquals("tsk_2", letter.task().taskId());
        assertEquals(3, letter.attempts());
        assertEquals("req-2", RequestIdHeader.read(letters.get(0).headers()));
        assertTrue(audit().stream().anyMatch(event -> event.action() == AuditAction.TASK_DEAD_LETTERED));
        assertEquals(1, metrics.get("taskgate_worker_tasks").tags("tool", "flaky", "outcome", "dead_lettered").timer().count());
    }

    @Test
    void shouldFailAnUnknownToolAtOnceWithoutDeadLetter() throws Exception {
        runner(id -> false).handle(task("tsk_3", "nope.run", "{}"), null).toCompletableFuture().get(5, TimeUnit.SECONDS);

        List<TaskEvent> events = events();
        assertEquals(List.of(Kind.STARTED, Kind.FAILED), kinds(events));
        assertEquals(ErrorCode.TOOL_FAILED, events.get(1).error().kind());
        assertEquals("no such tool: nope.run", events.get(1).error().message());
        assertEquals(List.of(), on(topics.deadLetters()));
        assertEquals(1, metrics.get("taskgate_worker_tasks").tags("tool", "unknown", "outcome", "failed").timer().count());
    }

    @Test
    void shouldFailBadInputWithoutRetryOrDeadLetter() throws Exception {
        runner(id -> false).handle(task("tsk_4", "sleep.run", "{\"ms\": -1}"), null).toCompletableFuture().get(5, TimeUnit.SECONDS);

        List<TaskEvent> events = events();
        assertEquals(List.of(Kind.STARTED, Kind.FAILED), kinds(events));
        assertEquals(ErrorCode.BAD_REQUEST, events.get(1).error().kind());
        assertEquals(List.of(), on(topics.deadLetters()));
    }

    @Test
    void shouldSkipACancelledTaskWithoutAnyEvent() throws Exception {
        runner(id -> id.equals("tsk_5")).handle(task("tsk_5", "echo.run", "{}"), null).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertEquals(List.of(), producer.history());
    }

    private TaskRunner runner(Predicate<String> cancelled) {
        Tool flaky = new Tool() {
            @Override
            public String name() {
                return "flaky";
            }

            @Override
            public Set<String> actions() {
                return Set.of("call");
            }

            @Override
            public CompletionStage<JsonNode> run(TaskMessage task) {
                return CompletableFuture.failedFuture(ToolException.transientFailure("backend answered 503", null));
            }
        };
        ToolRegistry tools = new ToolRegistry(List.of(new EchoTool(), new SleepTool(scheduler), flaky));
        ToolResilience resilience = new ToolResilience(List.of(
                ToolPolicy.standard("flaky", Duration.ofSeconds(5)).withBackoff(FAST, FAST)), scheduler, clock, Map.of());
        KafkaSender sender = new KafkaSender(producer);
        TaskReporter reporter = new TaskReporter(sender, topics, new AuditLog(sender, topics, "worker", scheduler, clock, metrics), scheduler,
                clock, metrics);
        return new TaskRunner(tools, resilience, reporter, cancelled, clock, metrics, "default");
    }

    private List<TaskEvent> events() {
        TopicSpec<String, TaskEvent> topic = topics.taskEvents();
        return on(topic).stream().map(record -> topic.valueSerde().deserializer().deserialize(topic.name(), record.value())).toList();
    }

    private List<AuditEvent> audit() {
        TopicSpec<String, AuditEvent> topic = topics.audit();
        return on(topic).stream().map(record -> topic.valueSerde().deserializer().deserialize(topic.name(), record.value())).toList();
    }

    private List<ProducerRecord<byte[], byte[]>> on(TopicSpec<?, ?> topic) {
        return producer.history().stream().filter(record -> record.topic().equals(topic.name())).toList();
    }

    private static List<Kind> kinds(List<TaskEvent> events) {
        return events.stream().map(TaskEvent::event).toList();
    }
}
