package io.taskgate.workers;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits on a condition with a deadline, for tests. */
public final class Await {
    private static final long CHECK_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private Await() {
    }

    public static void await(Duration timeout, BooleanSupplier condition) {
        await(timeout, condition, () -> "condition not met");
    }

    public static void await(Duration timeout, BooleanSupplier condition, Supplier<String> expectation) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + timeout + ": " + expectation.get());
            }
            LockSupport.parkNanos(CHECK_EVERY_NANOS);
        }
    }
}
