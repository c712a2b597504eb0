package io.taskgate.platform.concurrent;

import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class FuturesTest {
    @Test
    void shouldUnwrapNestedCompletionAndExecutionExceptions() {
        IOException cause = new IOException("disk");
        assertSame(cause, Futures.unwrap(new CompletionException(new ExecutionException(new CompletionException(cause)))));
    }

    @Test
    void shouldUnwrapWhatAFailedStageHandsOn() {
        IllegalStateException cause = new IllegalStateException("boom");
        Throwable[] seen = new Throwable[1];
        CompletableFuture.failedFuture(cause).thenApply(x -> x).whenComplete((x, e) -> seen[0] = e);
        assertSame(cause, Futures.unwrap(seen[0]));
    }

    @Test
    void shouldLeaveOtherFailuresAndCauselessWrappersAlone() {
        IllegalArgumentException plain = new IllegalArgumentException("bad", new IOException("inner"));
        assertSame(plain, Futures.unwrap(plain));
        CompletionException bare = new CompletionException("no cause", null);
        assertSame(bare, Futures.unwrap(bare));
    }
}
