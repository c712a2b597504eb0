package io.taskgate.platform.concurrent;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Thread pools with daemon threads named after the pool, measured as {@code executor_*} metrics
 * tagged {@code name=<pool>}. A bounded pool refuses work once its threads are busy and its queue is
 * full: it throws {@link RejectedExecutionException} (callers answer 503) and counts the refusal in
 * {@code taskgate_executor_rejected_total}.
 */
public final class BoundedExecutor {
    static final String REJECTED = "taskgate.executor.rejected";

    private BoundedExecutor() {
    }

    /** A fixed pool of {@code threads} with room for {@code queue} waiting tasks; idle threads end after a minute. */
    public static ExecutorService create(String name, int threads, int queue, MeterRegistry metrics) {
        Counter rejected = Counter.builder(REJECTED)
                .description("tasks a pool refused because its threads were busy and its queue full")
                .tag("name", name)
                .register(metrics);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.MINUTES,
                new ArrayBlockingQueue<>(queue), new DaemonThreads(name), (task, executor) -> {
                    rejected.increment();
                    throw new RejectedExecutionException(name + " is full (" + threads + " busy, " + queue + " queued)");
                });
        pool.allowCoreThreadTimeOut(true);
        return ExecutorServiceMetrics.monitor(metrics, pool, name, List.of());
    }

    /**
     * A pool for timers. Its queue holds scheduled tasks, so it is not bounded; cancelled timers are
     * removed at once rather than left queued until they would have fired.
     */
    public static ScheduledExecutorService scheduled(String name, int threads, MeterRegistry metrics) {
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(threads, new DaemonThreads(name));
        pool.setRemoveOnCancelPolicy(true);
        return ExecutorServiceMetrics.monitor(metrics, pool, name, List.of());
    }

    /** Stops taking work, lets running and queued work finish within {@code grace}, then interrupts what is left. */
    public static void stop(ExecutorService pool, Duration grace) {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
        }
    }
}
