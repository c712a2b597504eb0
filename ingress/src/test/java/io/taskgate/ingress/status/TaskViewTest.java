package io.taskgate.ingress.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import io.taskgate.schemas.json.Json;
import io.taskgate.schemas.tasks.TaskEvent;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.webhooks.DeliveryAttempt;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskViewTest {
    private static final Instant CREATED = Instant.parse("2025-01-01T10:00:00Z");
    private static final TaskMessage TASK = new TaskMessage("tsk_1", "echo.run", "agt_a", "agent-a",
            JsonNodeFactory.instance.objectNode().put("x", 1), null, "req_1", null, "127.0.0.1", CREATED, null);
    private static final JsonNode RESULT = JsonNodeFactory.instance.objectNode().put("x", 1);

    private static TaskEvent accepted() {
        return TaskEvent.accepted(TASK, CREATED.plusSeconds(1));
    }

    private static TaskEvent started(int attempt) {
        return TaskEvent.started(TASK, attempt, CREATED.plusSeconds(1 + attempt));
    }

    private static TaskEvent succeeded(int attempt) {
        return TaskEvent.succeeded(TASK, attempt, RESULT, CREATED.plusSeconds(10));
    }

    private static TaskView fold(TaskEvent... events) {
        TaskView view = null;
        for (TaskEvent event : events) {
            view = TaskView.reduce(view, event);
        }
        return view;
    }

    @Test
    void shouldShowCachedOnlyForAResultFromTheWorkersCache() {
        TaskView fromCache = fold(accepted(), started(1), TaskEvent.succeededFromCache(TASK, RESULT, CREATED.plusSeconds(3)));
        TaskView ran = fold(accepted(), started(1), succeeded(1));

        assertEquals(Boolean.TRUE, fromCache.toBody().get("cached"));
        assertEquals(RESULT, fromCache.toBody().get("result"));
        assertFalse(ran.toBody().containsKey("cached"));
        assertEquals(fromCache, TaskView.SERDE.deserializer().deserialize("t", TaskView.SERDE.serializer().serialize("t", fromCache)));
    }

    @Test
    void shouldBeQueuedAfterAccepted() {
        TaskView view = fold(accepted());

        assertEquals(TaskStatus.QUEUED, view.status());
        assertEquals("agt_a", view.agentId());
        assertEquals("echo.run", view.name());
        assertEquals(CREATED, view.createdAt());
        assertEquals(CREATED.plusSeconds(1), view.updatedAt());
        assertEquals(0, view.attempts());
    }

    @Test
    void shouldProgressThroughRunningToSucceededWithResult() {
        TaskView view = fold(accepted(), started(1), succeeded(1));

        assertEquals(TaskStatus.SUCCEEDED, view.status());
        assertEquals(RESULT, view.result());
        assertEquals(1, view.attempts());
        assertEquals(CREATED.plusSeconds(10), view.updatedAt());
    }

    @Test
    void shouldNotMoveBackWhenAcceptedIsReplayedAfterSucceeded() {
        TaskView done = fold(accepted(), started(1), succeeded(1));

        assertSame(done, TaskView.reduce(done, accepted()));
        assertSame(done, TaskView.reduce(done, started(1)));
    }

    @Test
    void shouldStayRejectedWhenAcceptedArrivesAfterTheRejection() {
        ErrorDetail limited = ErrorDetail.retryable(ErrorCode.RATE_LIMITED, "100/hour", 12);
        TaskEvent rejected = new TaskEvent("tsk_1", TaskEvent.Kind.REJECTED, null, null, CREATED.plusSeconds(2), null, null,
                limited, "req_1", null, null, null, null, null);

        TaskView view = fold(rejected, accepted());

        assertEquals(TaskStatus.REJECTED, view.status());
        assertEquals(limited, view.error());
        assertEquals("agt_a", view.agentId(), "the late event still fills in what the first one lacked");
        assertEquals("echo.run", view.name());
        assertEquals(CREATED, view.createdAt());
    }

    @Test
    void shouldNeverOverwriteATerminalStatus() {
        TaskView succeeded = fold(accepted(), succeeded(1));
        TaskView afterFailure = TaskView.reduce(succeeded,
                TaskEvent.failed(TASK, 2, ErrorDetail.of(ErrorCode.TOOL_FAILED, "boom"), CREATED.plusSeconds(20)));
        TaskView afterCancel = TaskView.reduce(succeeded,
                TaskEvent.cancelled("tsk_1", "agt_a", "echo.run", "req_2", null, CREATED.plusSeconds(30)));

        assertEquals(TaskStatus.SUCCEEDED, afterFailure.status());
        assertNull(afterFailure.error());
        assertEquals(RESULT, afterFailure.result());
        assertEquals(TaskStatus.SUCCEEDED, afterCancel.status());
    }

    @Test
    void shouldRunAgainWhenAFailedTaskIsReplayedAndNotForALateStartOfTheFailedRun() {
        ErrorDetail exhausted = ErrorDetail.of(ErrorCode.TOOL_FAILED, "backend answered 503");
        TaskView failed = fold(accepted(), started(1), TaskEvent.failed(TASK, 3, exhausted, CREATED.plusSeconds(10)));
        TaskView lateStart = TaskView.reduce(failed, started(1));

        TaskView replayed = TaskView.reduce(failed, TaskEvent.started(TASK, 1, CREATED.plusSeconds(600)));
        TaskView succeeded = TaskView.reduce(replayed, TaskEvent.succeeded(TASK, 1, RESULT, CREATED.plusSeconds(601)));

        assertSame(failed, lateStart);
        assertEquals(TaskStatus.RUNNING, replayed.status());
        assertNull(replayed.error());
        assertEquals(TaskStatus.SUCCEEDED, succeeded.status());
        assertEquals(RESULT, succeeded.result());
        assertEquals(3, succeeded.attempts());
    }

    @Test
    void shouldCountAttemptsFromStartedAndFailedAttemptsWithoutCountingReplays() {
        ErrorDetail timeout = ErrorDetail.of(ErrorCode.TIMEOUT, "slow");
        TaskView view = fold(accepted(), started(1), TaskEvent.attemptFailed(TASK, 1, timeout, CREATED.plusSeconds(3)),
                started(2), started(2), started(1));

        assertEquals(TaskStatus.RUNNING, view.status());
        assertEquals(2, view.attempts());
        assertNull(view.error(), "a failed attempt is retried, so the task has no error yet");
    }

    @Test
    void shouldGiveTheSameViewWhateverTheOrderOfEvents() {
        List<TaskEvent> events = List.of(accepted(), started(1), succeeded(1));
        TaskView expected = fold(events.toArray(TaskEvent[]::new));

        for (List<TaskEvent> order : permutations(events)) {
            assertEquals(expected, fold(order.toArray(TaskEvent[]::new)), "order " + order);
        }
    }

    @Test
    void shouldBeIdempotent() {
        TaskView once = fold(accepted(), started(1), succeeded(1));
        TaskView twice = fold(accepted(), accepted(), started(1), started(1), succeeded(1), succeeded(1));

        assertEquals(once, twice);
    }

    @Test
    void shouldExplainACancellationWithoutAnError() {
        TaskView view = fold(accepted(), TaskEvent.cancelled("tsk_1", "agt_a", "echo.run", "req_2", null, CREATED.plusSeconds(5)));

        assertEquals(TaskStatus.CANCELLED, view.status());
        assertEquals(ErrorCode.CANCELLED, view.error().kind());
        assertEquals(CREATED, view.createdAt());
    }

    @Test
    void shouldShowThePublicFieldsOnlyInTheBody() {
        Map<String, Object> body = fold(accepted()).toBody();

        assertEquals(List.of("ok", "task_id", "name", "status", "attempts", "created_at", "updated_at"), new ArrayList<>(body.keySet()));
        assertEquals("queued", body.get("status"));
        assertFalse(body.containsKey("agent_id"));
    }

    @Test
    void shouldRoundTripThroughTheStoreSerde() {
        TaskView view = fold(accepted(), started(1), succeeded(1));

        assertEquals(view, TaskView.SERDE.fromBytes(TaskView.SERDE.toBytes(view)));
    }

    @Test
    void shouldReadTheBodyAnotherInstanceAnswered() throws Exception {
        TaskView view = fold(accepted(), TaskEvent.rejected(TASK, ErrorDetail.retryable(ErrorCode.RATE_LIMITED, "slow down", 7),
                CREATED.plusSeconds(2)));

        TaskView read = TaskView.SERDE.fromBytes(Json.mapper().writeValueAsBytes(view.toBody()));

        assertEquals(TaskStatus.REJECTED, read.status());
        assertEquals(ErrorCode.RATE_LIMITED, read.error().kind());
        assertEquals(7L, read.error().retryAfterS());
        assertNull(read.agentId());
    }

    private static List<List<TaskEvent>> permutations(List<TaskEvent> events) {
        if (events.isEmpty()) {
            return List.of(List.of());
        }
        List<List<TaskEvent>> all = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            List<TaskEvent> rest = new ArrayList<>(events);
            TaskEvent first = rest.remove(i);
            for (List<TaskEvent> tail : permutations(rest)) {
                List<TaskEvent> order = new ArrayList<>();
                order.add(first);
                order.addAll(tail);
                all.add(order);
            }
        }
        return all;
    }

    @Test
    void shouldListWebhookAttemptsOnceEachInOrderWithoutChangingTheStatus() {
        DeliveryAttempt first = new DeliveryAttempt(1, CREATED.plusSeconds(11), 500, null, CREATED.plusSeconds(16));
        DeliveryAttempt second = new DeliveryAttempt(2, CREATED.plusSeconds(16), null, "no answer within 15000 ms", null);
        TaskView view = fold(accepted(), succeeded(1),
                TaskEvent.webhookAttempt("tsk_1", "agt_a", second, CREATED.plusSeconds(17)),
                TaskEvent.webhookAttempt("tsk_1", "agt_a", first, CREATED.plusSeconds(12)),
                TaskEvent.webhookAttempt("tsk_1", "agt_a", first, CREATED.plusSeconds(12)));

        assertEquals(TaskStatus.SUCCEEDED, view.status());
        assertEquals(List.of(first, second), view.deliveries());
        JsonNode body = Json.mapper().valueToTree(view.toBody());
        assertEquals(500, body.path("deliveries").get(0).path("status_code").asInt());
        assertTrue(body.path("deliveries").get(0).has("next_at"));
        assertFalse(body.path("deliveries").get(1).has("status_code"));
        assertFalse(body.has("callback_url"), "the callback URL stays inside ingress");
    }
}
