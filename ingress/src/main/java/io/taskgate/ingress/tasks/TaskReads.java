package io.taskgate.ingress.tasks;

import io.taskgate.ingress.http.ApiException;
import io.taskgate.ingress.status.Owner;
import io.taskgate.ingress.status.TaskStatusStore;
import io.taskgate.ingress.status.TaskStatusWaits;
import io.taskgate.ingress.status.TaskView;
import io.taskgate.platform.concurrent.Futures;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Reads a task's status where it lives: from the local store when this instance owns the task,
 * through {@link OwnerForwarder} otherwise. Waiting happens on the owner, so a change is seen the
 * moment the owner applies it.
 */
final class TaskReads {
    /** How soon to look again for the owner of a task while its status moves between instances. */
    private static final Duration RETRY_DELAY = Duration.ofMillis(200);
    /** How long even a plain read keeps trying while its task's status moves between instances. */
    private static final Duration REBALANCE_GRACE = Duration.ofSeconds(3);

    private final TaskStatusStore store;
    private final TaskStatusWaits waits;
    private final OwnerForwarder forwarder;
    private final TaskAccess access;
    private final Executor executor;
    private final Clock clock;

    TaskReads(TaskStatusStore store, TaskStatusWaits waits, OwnerForwarder forwarder, TaskAccess access, Executor executor,
              Clock clock) {
        this.store = store;
        this.waits = waits;
        this.forwarder = forwarder;
        this.access = access;
        this.executor = executor;
        this.clock = clock;
    }

    /**
     * The reply to {@code GET /__runner/tasks/{id}}: the view, once terminal or when {@code wait}
     * has passed. An id not yet known is waited for as well, since its {@code accepted} event may
     * still be on its way. While the status moves between instances (a rebalance) the read is
     * tried again for the longer of {@code wait} and {@link #REBALANCE_GRACE}, so a caller sees a
     * 503 only when the move takes longer than that; a forwarded read answers at once, and the
     * instance that forwarded it does the retrying.
     */
    CompletableFuture<Reply> read(String taskId, Caller caller, Duration wait) {
        Instant now = clock.instant();
        Instant deadline = now.plus(wait);
        Instant retryUntil = caller.forwarded() ? now : now.plus(wait.compareTo(REBALANCE_GRACE) > 0 ? wait : REBALANCE_GRACE);
        return readUntil(taskId, caller, deadline, retryUntil);
    }

    private CompletableFuture<Reply> readUntil(String taskId, Caller caller, Instant deadline, Instant retryUntil) {
        Duration left = Duration.between(clock.instant(), deadline);
        Duration wait = left.isNegative() ? Duration.ZERO : left;
        return tryRead(taskId, caller, wait).exceptionallyCompose(error -> {
            if (!isUnavailable(error) || !clock.instant().isBefore(retryUntil)) {
                return CompletableFuture.failedFuture(error);
            }
            Executor later = CompletableFuture.delayedExecutor(RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS, executor);
            return CompletableFuture.supplyAsync(() -> deadline, later)
                    .thenCompose(same -> readUntil(taskId, caller, same, retryUntil));
        });
    }

    private CompletableFuture<Reply> tryRead(String taskId, Caller caller, Duration wait) {
        try {
            Owner owner = store.ownerOf(taskId);
            if (owner instanceof Owner.Remote remote) {
                return forwarder.forward(remote, "GET", taskId, wait, caller).thenApply(response -> {
                    if (response.statusCode() == 503 && !caller.forwarded()) {
                        throw unavailable();
                    }
                    return Reply.relay(response);
                });
            }
            if (!(owner instanceof Owner.Local)) {
                return CompletableFuture.failedFuture(unavailable());
            }
            // The store may still refuse reads (restoring after a move): that throws here, at once.
            return readLocal(taskId, caller, wait);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<Reply> readLocal(String taskId, Caller caller, Duration wait) {
        Instant deadline = clock.instant().plus(wait);
        return waits.await(taskId, found -> true, wait)
                .thenCompose(found -> {
                    TaskView seen = access.check(found, caller);
                    Duration left = Duration.between(clock.instant(), deadline);
                    if (seen.isTerminal() || left.compareTo(Duration.ZERO) <= 0) {
                        return CompletableFuture.completedFuture(seen);
                    }
                    return waits.await(taskId, TaskView::isTerminal, left).thenApply(latest -> latest.orElse(seen));
                })
                .thenApply(seen -> Reply.json(200, caller.forwarded() ? seen.toInternalBody() : seen.toBody()));
    }

    /**
     * The task's view as it is now, wherever its status lives, or empty for a task not known (yet):
     * what an {@code Idempotency-Key} was first used for. While the status moves between instances
     * it keeps trying for {@link #REBALANCE_GRACE}, then fails with a retryable 503.
     */
    CompletableFuture<Optional<TaskView>> current(String taskId, Caller caller) {
        return currentUntil(taskId, caller, clock.instant().plus(REBALANCE_GRACE));
    }

    private CompletableFuture<Optional<TaskView>> currentUntil(String taskId, Caller caller, Instant retryUntil) {
        return tryCurrent(taskId, caller).exceptionallyCompose(error -> {
            if (!isUnavailable(error) || !clock.instant().isBefore(retryUntil)) {
                return CompletableFuture.failedFuture(error);
            }
            Executor later = CompletableFuture.delayedExecutor(RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS, executor);
            return CompletableFuture.supplyAsync(() -> retryUntil, later).thenCompose(same -> currentUntil(taskId, caller, same));
        });
    }

    private CompletableFuture<Optional<TaskView>> tryCurrent(String taskId, Caller caller) {
        return CompletableFuture.supplyAsync(() -> store.ownerOf(taskId), executor).thenCompose(owner -> {
            if (owner instanceof Owner.Remote remote) {
                return forwarder.forward(remote, "GET", taskId, Duration.ZERO, caller).thenApply(response -> switch (response.statusCode()) {
                    case 200 -> Optional.of(TaskView.SERDE.fromBytes(response.body()));
                    case 404 -> Optional.<TaskView>empty();
                    default -> throw unavailable();
                });
            }
            if (owner instanceof Owner.Local) {
                return CompletableFuture.supplyAsync(() -> store.get(taskId), executor);
            }
            return CompletableFuture.failedFuture(unavailable());
        });
    }

    /**
     * The task's view if it ends within {@code wait}, for {@code Prefer: wait} on a task just
     * accepted (so its caller is its owner); empty if it did not end in time. While the status is
     * moving between instances it keeps trying until the time is up. Never fails: the task is
     * accepted whatever happens here.
     */
    CompletableFuture<Optional<TaskView>> awaitEnd(String taskId, Caller caller, Duration wait) {
        return awaitEndUntil(taskId, caller, clock.instant().plus(wait))
                .handle((seen, error) -> error == null ? seen.filter(TaskView::isTerminal) : Optional.empty());
    }

    private CompletableFuture<Optional<TaskView>> awaitEndUntil(String taskId, Caller caller, Instant deadline) {
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.compareTo(Duration.ZERO) <= 0) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return tryAwaitEnd(taskId, caller, left).exceptionallyCompose(error -> {
            if (!isUnavailable(error)) {
                return CompletableFuture.failedFuture(error);
            }
            Executor later = CompletableFuture.delayedExecutor(RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS, executor);
            return CompletableFuture.supplyAsync(() -> deadline, later).thenCompose(same -> awaitEndUntil(taskId, caller, same));
        });
    }

    private CompletableFuture<Optional<TaskView>> tryAwaitEnd(String taskId, Caller caller, Duration wait) {
        try {
            Owner owner = store.ownerOf(taskId);
            if (owner instanceof Owner.Remote remote) {
                return forwarder.forward(remote, "GET", taskId, wait, caller).thenApply(response -> {
                    if (response.statusCode() == 503) {
                        throw unavailable();
                    }
                    return response.statusCode() == 200 ? Optional.of(TaskView.SERDE.fromBytes(response.body())) : Optional.empty();
                });
            }
            if (owner instanceof Owner.Local) {
                return waits.await(taskId, TaskView::isTerminal, wait);
            }
            return CompletableFuture.failedFuture(unavailable());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static boolean isUnavailable(Throwable error) {
        Throwable cause = Futures.unwrap(error);
        return cause instanceof ApiException api && api.detail().kind() == ErrorCode.UNAVAILABLE;
    }

    private static ApiException unavailable() {
        return new ApiException(ErrorDetail.retryable(ErrorCode.UNAVAILABLE, "task status is not available here yet; retry", 1));
    }
}
