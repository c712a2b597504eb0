package io.taskgate.workers.execution;

import static io.taskgate.workers.tools.Tasks.json;
import static io.taskgate.workers.tools.Tasks.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskgate.platform.audit.AuditLog;
import io.taskgate.platform.kafka.KafkaSender;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskgate.schemas.json.Json;
import io.taskgate.schemas.tasks.TaskEvent;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.topics.MessageLimits;
import io.taskgate.schemas.topics.Topics;
import io.taskgate.testing.Await;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The outcome of a task must reach Kafka, or the worker would commit past a task still shown running. */
class TaskReporterTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final Topics topics = new Topics("unit");
    private final MockProducer<byte[], byte[]> events =
            new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final MockProducer<byte[], byte[]> auditRecords =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final TaskReporter reporter = new TaskReporter(new KafkaSender(events), topics,
            new AuditLog(new KafkaSender(auditRecords), topics, "worker", scheduler, Clock.systemUTC(), metrics),
            scheduler, Clock.systemUTC(), metrics);
    private final TaskMessage task = task("tsk_1", "echo.run", "{\"n\": 1}");

    @AfterEach
    void shutdown() {
        scheduler.shutdownNow();
    }

    @Test
    void shouldSendTheOutcomeAgainUntilKafkaAcknowledgesIt() throws Exception {
        CompletableFuture<Void> recorded = reporter.succeeded(task, "req-1", "echo", 1, json("{\"n\": 1}"), 3).toCompletableFuture();
        Await.until("one event sent", () -> events.history().size() == 1, DEADLINE);

        events.errorNext(new TimeoutException("Expiring 1 record(s): 8000 ms has passed since batch creation"));
        Await.until("sent again after the delivery timeout", () -> events.history().size() == 2, DEADLINE);
        assertFalse(recorded.isDone(), "not recorded before Kafka acknowledged it");

        events.completeNext();
        recorded.get(10, TimeUnit.SECONDS);
        assertEquals(1.0, metrics.get("taskgate_worker_outcome_resends").counter().count());
        assertEquals(events.history().get(0).value().length, events.history().get(1).value().length, "the same event again");
    }

    @Test
    void shouldGiveUpAtOnceOnAnErrorThatRetryingCannotMend() {
        CompletableFuture<Void> recorded = reporter.succeeded(task, "req-1", "echo", 1, json("{\"n\": 1}"), 3).toCompletableFuture();
        Await.until("one event sent", () -> events.history().size() == 1, DEADLINE);

        events.errorNext(new TopicAuthorizationException("not allowed to write task-events"));

        ExecutionException failed = assertThrows(ExecutionException.class, () -> recorded.get(10, TimeUnit.SECONDS));
        assertInstanceOf(TopicAuthorizationException.class, failed.getCause());
        assertEquals(1, events.history().size());
    }

    @Test
    void shouldReportAResultTheBrokerRefusesAsFailedWithResultTooLarge() throws Exception {
        CompletableFuture<Void> recorded = reporter.succeeded(task, "req-1", "echo", 1, json("{\"n\": 1}"), 3).toCompletableFuture();
        Await.until("one event sent", () -> events.history().size() == 1, DEADLINE);

        events.errorNext(new RecordTooLargeException("the result is larger than the broker accepts"));
        Await.until("a failed event follows", () -> events.history().size() == 2, DEADLINE);
        events.completeNext();
        recorded.get(10, TimeUnit.SECONDS);

        TaskEvent outcome = decode(events.history().get(1).value());
        assertEquals(TaskEvent.Kind.FAILED, outcome.event());
        assertEquals("RESULT_TOO_LARGE", outcome.error().codeName());
        assertTrue(outcome.error().message().contains("limit of " + MessageLimits.MAX_RECORD_BYTES + " bytes"),
                outcome.error().message());
    }

    @Test
    void shouldFailAResultOverTheResultLimitWithoutSendingIt() throws Exception {
        ObjectNode huge = Json.mapper().createObjectNode().put("body", "x".repeat(MessageLimits.MAX_RESULT_BYTES));
        CompletableFuture<Void> recorded = reporter.succeeded(task, "req-1", "http_fetch", 1, huge, 3).toCompletableFuture();
        Await.until("one event sent", () -> events.history().size() == 1, DEADLINE);
        events.completeNext();
        recorded.get(10, TimeUnit.SECONDS);

        TaskEvent outcome = decode(events.history().get(0).value());
        assertEquals(TaskEvent.Kind.FAILED, outcome.event());
        assertEquals("RESULT_TOO_LARGE", outcome.error().codeName());
        assertTrue(outcome.error().message().matches("the result is \\d+ bytes, over the limit of "
                + MessageLimits.MAX_RESULT_BYTES + " bytes.*"), outcome.error().message());
        assertEquals(1.0, metrics.get("taskgate_worker_results_too_large").counter().count());
    }

    private TaskEvent decode(byte[] value) {
        return topics.taskEvents().valueSerde().deserializer().deserialize(topics.taskEvents().name(), value);
    }
}
