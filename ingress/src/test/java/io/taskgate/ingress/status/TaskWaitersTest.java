package io.taskgate.ingress.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.ingress.http.ApiException;
import io.taskgate.schemas.errors.ErrorCode;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class TaskWaitersTest {
    private static final Instant NOW = Instant.parse("2025-01-01T10:00:00Z");

    private static TaskView view(String taskId, TaskStatus status) {
        return new TaskView(taskId, "agt_a", "echo.run", status, null, null, 0, NOW, NOW, null, null, null, List.of());
    }

    @Test
    void shouldCompleteOnlyWaitersWhoseConditionHolds() {
        TaskWaiters waiters = new TaskWaiters(10);
        CompletableFuture<TaskView> untilEnd = waiters.register("tsk_1", TaskView::isTerminal);
        CompletableFuture<TaskView> anyChange = waiters.register("tsk_1", seen -> true);
        CompletableFuture<TaskView> otherTask = waiters.register("tsk_2", seen -> true);

        TaskView running = view("tsk_1", TaskStatus.RUNNING);
        waiters.update("tsk_1", running);

        assertSame(running, anyChange.getNow(null));
        assertFalse(untilEnd.isDone());
        assertFalse(otherTask.isDone());
        assertEquals(2, waiters.size(), "a completed waiter is removed");

        waiters.update("tsk_1", view("tsk_1", TaskStatus.SUCCEEDED));
        assertTrue(untilEnd.isDone());
        assertEquals(1, waiters.size());
    }

    @Test
    void shouldRefuseWaitersBeyondItsCapacity() {
        TaskWaiters waiters = new TaskWaiters(2);
        waiters.register("tsk_1", seen -> true);
        CompletableFuture<TaskView> second = waiters.register("tsk_2", seen -> true);

        ApiException full = assertThrows(ApiException.class, () -> waiters.register("tsk_3", seen -> true));
        assertEquals(ErrorCode.UNAVAILABLE, full.detail().kind());
        assertEquals(1L, full.detail().retryAfterS());

        second.cancel(false);
        assertEquals(1, waiters.size(), "a cancelled waiter frees its place");
        waiters.register("tsk_3", seen -> true);
        assertEquals(2, waiters.size());
    }

    @Test
    void shouldFailEveryWaiterWhenClosed() {
        TaskWaiters waiters = new TaskWaiters(10);
        CompletableFuture<TaskView> waiting = waiters.register("tsk_1", seen -> true);

        waiters.closeAll();

        ExecutionException error = assertThrows(ExecutionException.class, waiting::get);
        assertEquals(ErrorCode.UNAVAILABLE, ((ApiException) error.getCause()).detail().kind());
        assertEquals(0, waiters.size());
    }

    @Test
    void shouldEndEveryWaitAsIfItsTimeRanOutWhenReleasedAndEndLaterOnesAtOnce() {
        TaskWaiters waiters = new TaskWaiters(10);
        CompletableFuture<TaskView> held = waiters.register("tsk_1", TaskView::isTerminal);

        waiters.releaseAll();

        ExecutionException ended = assertThrows(ExecutionException.class, held::get);
        assertTrue(ended.getCause() instanceof java.util.concurrent.TimeoutException, ended.toString());
        assertEquals(0, waiters.size());
        CompletableFuture<TaskView> later = waiters.register("tsk_2", TaskView::isTerminal);
        assertTrue(later.isCompletedExceptionally(), "a wait begun while stopping ends at once");
        assertEquals(0, waiters.size());
    }
}
