package io.taskgate.platform.concurrent;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Getting at the failure that an asynchronous step actually raised. */
public final class Futures {
    private Futures() {
    }

    /**
     * The cause beneath any {@link CompletionException} and {@link ExecutionException} wrappers, which
     * {@code CompletableFuture} adds between stages; a wrapper without a cause is returned as it is.
     */
    public static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof CompletionException || current instanceof ExecutionException) && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
