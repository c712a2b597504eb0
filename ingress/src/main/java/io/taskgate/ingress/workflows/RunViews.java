package io.taskgate.ingress.workflows;

import io.taskgate.ingress.http.ApiException;
import io.taskgate.platform.kafka.CompactedTopicView;
import io.taskgate.schemas.errors.ErrorDetail;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.workflows.WorkflowRun;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Every run as the coordinator last published it, read by each ingress instance from the compacted
 * {@code workflow-runs} topic, so any instance answers for any run; and the requests waiting for a
 * run to change, completed by the view's thread as it applies each change.
 */
public final class RunViews implements AutoCloseable {
    private final CompactedTopicView<WorkflowRun> view;
    private final int maxWaiters;
    private final Map<String, List<Waiter>> waiters = new ConcurrentHashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();

    private record Waiter(Predicate<WorkflowRun> done, CompletableFuture<Optional<WorkflowRun>> future) {
    }

    public RunViews(CompactedTopicView<WorkflowRun> view, int maxWaiters) {
        this.view = view;
        this.maxWaiters = maxWaiters;
        view.onChange(this::changed);
    }

    public void start() {
        view.start();
    }

    public boolean isCaughtUp() {
        return view.awaitCaughtUp(Duration.ZERO);
    }

    public Optional<WorkflowRun> get(String runId) {
        return view.get(runId);
    }

    /** The run once {@code done} holds for it, or as it is (maybe absent) when {@code wait} has passed. */
    public CompletableFuture<Optional<WorkflowRun>> await(String runId, Predicate<WorkflowRun> done, Duration wait) {
        Optional<WorkflowRun> now = get(runId);
        if (now.filter(done).isPresent() || wait.isZero() || wait.isNegative()) {
            return CompletableFuture.completedFuture(now);
        }
        if (waiting.incrementAndGet() > maxWaiters) {
            waiting.decrementAndGet();
            throw new ApiException(ErrorDetail.retryable(ErrorCode.UNAVAILABLE, "too many requests are waiting; retry", 1));
        }
        Waiter waiter = new Waiter(done, new CompletableFuture<>());
        waiters.computeIfAbsent(runId, id -> new CopyOnWriteArrayList<>()).add(waiter);
        get(runId).filter(done).ifPresent(run -> waiter.future().complete(Optional.of(run)));
        return waiter.future().completeOnTimeout(Optional.empty(), wait.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(seen -> {
                    remove(runId, waiter);
                    return seen.isPresent() ? seen : get(runId);
                });
    }

    private void changed(String runId, WorkflowRun run) {
        List<Waiter> list = waiters.get(runId);
        if (list == null || run == null) {
            return;
        }
        for (Waiter waiter : list) {
            if (waiter.done().test(run)) {
                waiter.future().complete(Optional.of(run));
            }
        }
    }

    private void remove(String runId, Waiter waiter) {
        waiters.computeIfPresent(runId, (id, list) -> {
            if (list.remove(waiter)) {
                waiting.decrementAndGet();
            }
            return list.isEmpty() ? null : list;
        });
    }

    @Override
    public void close() {
        view.close();
    }
}
