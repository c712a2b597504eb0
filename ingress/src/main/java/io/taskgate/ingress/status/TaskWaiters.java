package io.taskgate.ingress.status;

import io.taskgate.ingress.http.ApiException;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Requests held open until a task reaches some state, keyed by task id. The status view calls
 * {@link #update} after each change it applies; each waiter whose condition then holds is completed
 * and removed. Bounded, because each waiter is an open connection: past {@code capacity} a new one
 * is refused with 503.
 */
public final class TaskWaiters {
    private final int capacity;
    private final Map<String, Set<Waiter>> byTask = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private volatile boolean released;

    public TaskWaiters(int capacity) {
        this.capacity = capacity;
    }

    /**
     * A future completed with the first view of the task that satisfies {@code until}; cancel it to
     * stop waiting. Completes on the thread that calls {@link #update}, so callers hop elsewhere.
     */
    CompletableFuture<TaskView> register(String taskId, Predicate<TaskView> until) {
        if (released) {
            return CompletableFuture.failedFuture(new TimeoutException("ingress is stopping"));
        }
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            throw new ApiException(ErrorDetail.retryable(ErrorCode.UNAVAILABLE,
                    "too many requests are waiting for tasks here; retry", 1));
        }
        Waiter waiter = new Waiter(until);
        byTask.compute(taskId, (id, waiters) -> {
            Set<Waiter> set = waiters == null ? ConcurrentHashMap.newKeySet() : waiters;
            set.add(waiter);
            return set;
        });
        waiter.done.whenComplete((view, error) -> remove(taskId, waiter));
        return waiter.done;
    }

    public void update(String taskId, TaskView view) {
        Set<Waiter> waiters = byTask.get(taskId);
        if (waiters == null) {
            return;
        }
        for (Waiter waiter : waiters) {
            if (waiter.until.test(view)) {
                waiter.done.complete(view);
            }
        }
    }

    public int size() {
        return size.get();
    }

    /**
     * Ends every wait now, as if its time had run out, so each held request is answered with the
     * task as it is; later waits end at once. For an instance that is stopping.
     */
    public void releaseAll() {
        released = true;
        TimeoutException stopping = new TimeoutException("ingress is stopping");
        byTask.values().forEach(waiters -> waiters.forEach(waiter -> waiter.done.completeExceptionally(stopping)));
    }

    /** Fails every waiter, so held requests answer 503 instead of hanging while the instance stops. */
    void closeAll() {
        ApiException stopping = new ApiException(ErrorDetail.retryable(ErrorCode.UNAVAILABLE, "ingress is stopping; retry", 1));
        byTask.values().forEach(waiters -> waiters.forEach(waiter -> waiter.done.completeExceptionally(stopping)));
    }

    private void remove(String taskId, Waiter waiter) {
        byTask.computeIfPresent(taskId, (id, waiters) -> {
            if (waiters.remove(waiter)) {
                size.decrementAndGet();
            }
            return waiters.isEmpty() ? null : waiters;
        });
    }

    private static final class Waiter {
        private final Predicate<TaskView> until;
        private final CompletableFuture<TaskView> done = new CompletableFuture<>();

        private Waiter(Predicate<TaskView> until) {
            this.until = until;
        }
    }
}
