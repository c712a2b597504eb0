package io.taskgate.workers.resilience;

import io.taskgate.platform.concurrent.Futures;

/** How a guarded call ended: its result or its last failure, after how many attempts. */
public record Attempted<T>(T result, Throwable failure, int attempts) {

    public static <T> Attempted<T> succeeded(T result, int attempts) {
        return new Attempted<>(result, null, attempts);
    }

    public static <T> Attempted<T> failed(Throwable failure, int attempts) {
        return new Attempted<>(null, Futures.unwrap(failure), attempts);
    }

    public boolean succeeded() {
        return failure == null;
    }
}
