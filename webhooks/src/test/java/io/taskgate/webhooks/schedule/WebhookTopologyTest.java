package io.taskgate.webhooks.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.schemas.audit.AuditEvent;
import io.taskgate.schemas.json.Json;
import io.taskgate.schemas.tasks.TaskEvent;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.topics.Topics;
import io.taskgate.schemas.webhooks.WebhookRecord;
import io.taskgate.webhooks.RetrySchedule;
import io.taskgate.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduler with a driven wall clock: what is handed out when, and what each outcome leads to. */
class WebhookTopologyTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Topics TOPICS = new Topics("wt");
    private static final RetrySchedule SCHEDULE = RetrySchedule.parse("5s,5m");

    private final MutableClock clock = new MutableClock(T0);
    private TopologyTestDriver driver;
    private TestInputTopic<String, TaskEvent> events;
    private TestInputTopic<String, WebhookRecord> webhooksIn;
    private TestOutputTopic<String, WebhookRecord> webhooksOut;
    private TestOutputTopic<String, TaskEvent> eventsOut;
    private TestOutputTopic<String, AuditEvent> audit;

    @BeforeEach
    void start() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "webhook-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(WebhookTopology.build(TOPICS,
                new WebhookTopology.Settings(SCHEDULE, Duration.ofMillis(250), 1024, Duration.ofDays(7)), clock), props, T0);
        events = driver.createInputTopic(TOPICS.taskEvents().name(), TOPICS.taskEvents().keySerde().serializer(),
                TOPICS.taskEvents().valueSerde().serializer());
        webhooksIn = driver.createInputTopic(TOPICS.webhooks().name(), TOPICS.webhooks().keySerde().serializer(),
                TOPICS.webhooks().valueSerde().serializer());
        webhooksOut = driver.createOutputTopic(TOPICS.webhooks().name(), TOPICS.webhooks().keySerde().deserializer(),
                TOPICS.webhooks().valueSerde().deserializer());
        eventsOut = driver.createOutputTopic(TOPICS.taskEvents().name(), TOPICS.taskEvents().keySerde().deserializer(),
                TOPICS.taskEvents().valueSerde().deserializer());
        audit = driver.createOutputTopic(TOPICS.audit().name(), TOPICS.audit().keySerde().deserializer(),
                TOPICS.audit().valueSerde().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void shouldHandOutTheFirstAttemptAsSoonAsTheTaskEnds() throws Exception {
        events.pipeInput("tsk_1", succeeded("tsk_1", "https://hooks.example.com/a"), T0);

        WebhookRecord due = webhooksOut.readValue();
        assertEquals(WebhookRecord.Kind.DUE, due.kind());
        assertEquals(1, due.attempt());
        assertEquals("https://hooks.example.com/a", due.callbackUrl());
        assertEquals("task.succeeded", Json.mapper().readTree(due.payload()).path("type").asText());
        assertEquals("ok", Json.mapper().readTree(due.payload()).path("data").path("result").asText());
        assertTrue(webhooksOut.isEmpty());
    }

    @Test
    void shouldIgnoreTasksWithoutACallbackAndEventsThatAreNotTerminal() {
        events.pipeInput("tsk_1", succeeded("tsk_1", null), T0);
        events.pipeInput("tsk_2", TaskEvent.started(task("tsk_2", "https://hooks.example.com/a"), 1, T0), T0);
        assertTrue(webhooksOut.isEmpty());
    }

    @Test
    void shouldScheduleTheNextAttemptAfterAFailureAndHandItOutWhenDue() {
        events.pipeInput("tsk_1", succeeded("tsk_1", "https://hooks.example.com/a"), T0);
        WebhookRecord first = webhooksOut.readValue();

        webhooksIn.pipeInput("tsk_1", first.outcome(T0, 500, null, 12), T0);
        TaskEvent attempt = eventsOut.readValue();
        assertEquals(TaskEvent.Kind.WEBHOOK_ATTEMPT, attempt.event());
        assertEquals(500, attempt.delivery().statusCode());
        assertEquals(T0.plusSeconds(5), attempt.delivery().nextAt());
        AuditEvent audited = audit.readValue();
        assertEquals(AuditAction.WEBHOOK_ATTEMPT, audited.action());
        assertEquals(12L, ((Number) audited.details().get("duration_ms")).longValue());

        advance(Duration.ofSeconds(4));
        assertTrue(webhooksOut.isEmpty(), "not before its time");
        advance(Duration.ofSeconds(1));
        WebhookRecord second = webhooksOut.readValue();
        assertEquals(2, second.attempt());
        assertEquals(first.webhookId(), second.webhookId());
    }

    @Test
    void shouldGiveUpWhenTheScheduleRunsOutAndStopOnGone() {
        events.pipeInput("tsk_1", succeeded("tsk_1", "https://hooks.example.com/a"), T0);
        WebhookRecord due = webhooksOut.readValue();
        for (int attempt = 1; attempt <= 3; attempt++) {
            webhooksIn.pipeInput("tsk_1", due.outcome(clock.instant(), 503, null, 5), clock.instant());
            advance(Duration.ofMinutes(6));
            due = webhooksOut.isEmpty() ? null : webhooksOut.readValue();
            if (attempt < 3) {
                assertEquals(attempt + 1, due.attempt());
            }
        }
        assertNull(due, "three attempts with a schedule of two retries, then none");
        List<TaskEvent> attempts = eventsOut.readValuesToList();
        assertEquals(3, attempts.size());
        assertNull(attempts.get(2).delivery().nextAt());
        assertEquals("gave_up", audit.readValuesToList().get(2).outcome());

        events.pipeInput("tsk_2", succeeded("tsk_2", "https://hooks.example.com/b"), clock.instant());
        WebhookRecord gone = webhooksOut.readValue();
        webhooksIn.pipeInput("tsk_2", gone.outcome(clock.instant(), 410, null, 5), clock.instant());
        advance(Duration.ofHours(1));
        assertTrue(webhooksOut.isEmpty(), "410 stops the retries");
        assertNull(eventsOut.readValue().delivery().nextAt());
    }

    @Test
    void shouldIgnoreAnOutcomeReportedTwice() {
        events.pipeInput("tsk_1", succeeded("tsk_1", "https://hooks.example.com/a"), T0);
        WebhookRecord due = webhooksOut.readValue();
        webhooksIn.pipeInput("tsk_1", due.outcome(T0, 500, null, 5), T0);
        webhooksIn.pipeInput("tsk_1", due.outcome(T0, 500, null, 5), T0);
        assertEquals(1, eventsOut.readValuesToList().size());
    }

    @Test
    void shouldHandOutADeferredAttemptAgainSoonWithoutCountingIt() {
        events.pipeInput("tsk_1", succeeded("tsk_1", "https://hooks.example.com/a"), T0);
        WebhookRecord due = webhooksOut.readValue();
        webhooksIn.pipeInput("tsk_1", due.deferredAt(T0), T0);
        assertTrue(eventsOut.isEmpty(), "no attempt was made");
        advance(DeliveryScheduler.DEFER_DELAY);
        assertEquals(1, webhooksOut.readValue().attempt());
    }

    @Test
    void shouldRedeliverAFinishedWebhookAsANewRoundWithTheSameId() {
        events.pipeInput("tsk_1", succeeded("tsk_1", "https://hooks.example.com/a"), T0);
        WebhookRecord due = webhooksOut.readValue();
        webhooksIn.pipeInput("tsk_1", due.outcome(T0, 200, null, 5), T0);
        assertFalse(eventsOut.isEmpty());

        webhooksIn.pipeInput("tsk_1", WebhookRecord.redeliver("tsk_1", T0, "req-admin"), T0);
        WebhookRecord again = webhooksOut.readValue();
        assertEquals(2, again.attempt());
        assertEquals(due.webhookId(), again.webhookId());
    }

    @Test
    void shouldLeaveTheResultOutOfABodyOverTheCap() throws Exception {
        TaskEvent big = TaskEvent.succeeded(task("tsk_1", "https://hooks.example.com/a"), 1,
                JsonNodeFactory.instance.textNode("x".repeat(5000)), T0);
        events.pipeInput("tsk_1", big, T0);
        var body = Json.mapper().readTree(webhooksOut.readValue().payload());
        assertTrue(body.path("data").path("result_omitted").asBoolean());
        assertFalse(body.path("data").has("result"));
    }

    private void advance(Duration by) {
        clock.advance(by);
        driver.advanceWallClockTime(by);
    }

    private static TaskEvent succeeded(String taskId, String callbackUrl) {
        return TaskEvent.succeeded(task(taskId, callbackUrl), 1, JsonNodeFactory.instance.textNode("ok"), T0);
    }

    private static TaskMessage task(String taskId, String callbackUrl) {
        return new TaskMessage(taskId, "echo.run", "agt_1", "bot", JsonNodeFactory.instance.objectNode(), callbackUrl, "req-1",
                null, "127.0.0.1", T0.minusSeconds(1), "default");
    }
}
