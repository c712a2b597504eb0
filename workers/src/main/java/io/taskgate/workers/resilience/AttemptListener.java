package io.taskgate.workers.resilience;

/** Told about each failed attempt that will be retried, before the retry is scheduled. */
@FunctionalInterface
public interface AttemptListener {
    void willRetry(int attempt, Throwable failure);
}
