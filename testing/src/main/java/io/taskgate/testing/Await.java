package io.taskgate.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, polling briefly, instead of sleeping for a guessed time. */
public final class Await {
    private static final long POLL_NANOS = Duration.ofMillis(20).toNanos();

    private Await() {
    }

    public static void until(String description, BooleanSupplier condition, Duration timeout) {
        until(() -> description, condition, timeout);
    }

    /** As {@link #until(String, BooleanSupplier, Duration)}, the description built when it fails (to say what was seen). */
    public static void until(Supplier<String> description, BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + description.get());
            }
            pause(description);
        }
    }

    /** Probes until {@code done} accepts a value and returns it; the failure names the last value seen. */
    public static <T> T value(String description, Supplier<T> probe, Predicate<T> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = probe.get();
        while (!done.test(last)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + description + "; last: " + last);
            }
            pause(() -> description);
            last = probe.get();
        }
        return last;
    }

    private static void pause(Supplier<String> description) {
        LockSupport.parkNanos(POLL_NANOS);
        if (Thread.interrupted()) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + description.get());
        }
    }
}
