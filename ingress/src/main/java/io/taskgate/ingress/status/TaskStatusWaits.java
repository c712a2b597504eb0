package io.taskgate.ingress.status;

import io.taskgate.platform.concurrent.Futures;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/** Holds a read of a task on this instance until the task reaches some state, without blocking a thread. */
public final class TaskStatusWaits {
    private final TaskStatusStore store;
    private final TaskWaiters waiters;
    private final Executor executor;

    /**
     * @param executor where held requests continue once their task changed or their time ran out;
     *                 never the stream thread, which must get on with the next event
     */
    public TaskStatusWaits(TaskStatusStore store, TaskWaiters waiters, Executor executor) {
        this.store = store;
        this.waiters = waiters;
        this.executor = executor;
    }

    /**
     * The task's view once it satisfies {@code until}, or when {@code timeout} has passed whatever
     * it is then (empty if the task is still unknown). Never blocks the caller.
     */
    public CompletableFuture<Optional<TaskView>> await(String taskId, Predicate<TaskView> until, Duration timeout) {
        Optional<TaskView> now = store.get(taskId);
        if (timeout.compareTo(Duration.ZERO) <= 0 || now.filter(until).isPresent()) {
            return CompletableFuture.completedFuture(now);
        }
        CompletableFuture<TaskView> signal = waiters.register(taskId, until);
        // The task may have changed between the first read and registering: look once more.
        Optional<TaskView> again;
        try {
            again = store.get(taskId);
        } catch (RuntimeException e) {
            signal.cancel(false);
            throw e;
        }
        if (again.filter(until).isPresent()) {
            signal.cancel(false);
            return CompletableFuture.completedFuture(again);
        }
        return signal.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).handleAsync((view, error) -> {
            if (error == null) {
                return Optional.of(view);
            }
            Throwable cause = Futures.unwrap(error);
            if (cause instanceof TimeoutException) {
                return store.get(taskId);
            }
            throw cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
        }, executor);
    }
}
