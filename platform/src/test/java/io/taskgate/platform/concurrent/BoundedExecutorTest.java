package io.taskgate.platform.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BoundedExecutorTest {
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    @Test
    void shouldRefuseAndCountWorkBeyondThreadsAndQueue() throws Exception {
        ExecutorService pool = BoundedExecutor.create("test-pool", 1, 1, metrics);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            pool.execute(() -> {
                started.countDown();
                await(release);
            });
            assertTrue(started.await(5, TimeUnit.SECONDS));
            pool.execute(() -> { });
            assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> { }));
            assertThrows(RejectedExecutionException.class, () -> pool.submit(() -> { }));
            assertEquals(2.0, metrics.get(BoundedExecutor.REJECTED).tag("name", "test-pool").counter().count());
        } finally {
            release.countDown();
            BoundedExecutor.stop(pool, Duration.ofSeconds(5));
        }
    }

    @Test
    void shouldPublishExecutorMetricsTaggedWithThePoolName() throws Exception {
        ExecutorService pool = BoundedExecutor.create("measured", 2, 4, metrics);
        try {
            CompletableFuture.runAsync(() -> { }, pool).get(5, TimeUnit.SECONDS);
            FunctionCounter completed = metrics.get("executor.completed").tag("name", "measured").functionCounter();
            // The pool counts a task as completed only after the future it completed has returned, and
            // Micrometer drops the pool's meters once it terminates: wait for the count while it runs.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (completed.count() < 1.0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(1.0, completed.count(), 0.0);
            assertNotNull(metrics.get("executor.queue.remaining").tag("name", "measured").gauge());
            assertEquals(4.0, metrics.get("executor.queue.remaining").tag("name", "measured").gauge().value());
            assertNotNull(metrics.get("executor").tag("name", "measured").timer());
        } finally {
            BoundedExecutor.stop(pool, Duration.ofSeconds(5));
        }
    }

    @Test
    void shouldRunOnNamedDaemonThreads() throws Exception {
        ExecutorService pool = BoundedExecutor.create("named", 1, 1, metrics);
        try {
            Thread thread = CompletableFuture.supplyAsync(Thread::currentThread, pool).get(5, TimeUnit.SECONDS);
            assertEquals("named-1", thread.getName());
            assertTrue(thread.isDaemon());
        } finally {
            BoundedExecutor.stop(pool, Duration.ofSeconds(5));
        }
    }

    @Test
    void shouldMeasureScheduledPools() throws Exception {
        ScheduledExecutorService timers = BoundedExecutor.scheduled("timers", 1, metrics);
        try {
            timers.schedule(() -> { }, 1, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS);
            assertEquals(1.0, metrics.get("executor.scheduled.once").tag("name", "timers").counter().count());
        } finally {
            timers.shutdownNow();
        }
    }

    @Test
    void shouldLetQueuedWorkFinishWhenStopped() throws Exception {
        ExecutorService pool = BoundedExecutor.create("stopping", 1, 4, metrics);
        CountDownLatch done = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            pool.execute(done::countDown);
        }
        BoundedExecutor.stop(pool, Duration.ofSeconds(5));
        assertTrue(pool.isTerminated());
        assertEquals(0, done.getCount());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
