package io.taskgate.workers.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import io.taskgate.tool.api.ToolException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class FailureClassifierTest {

    @Test
    void shouldRetryTimeoutsServerErrorsTooManyRequestsAndBrokenConnections() {
        assertTrue(FailureClassifier.isRetryable(new TimeoutException("slow")));
        assertTrue(FailureClassifier.isRetryable(new HttpTimeoutException("slow")));
        assertTrue(FailureClassifier.isRetryable(new HttpConnectTimeoutException("slow")));
        assertTrue(FailureClassifier.isRetryable(new ConnectException("refused")));
        assertTrue(FailureClassifier.isRetryable(ToolException.transientFailure("http_fetch got 503", null)));
        assertTrue(FailureClassifier.isRetryable(ToolException.transientFailure("http_fetch got 429", Duration.ofSeconds(2))));
    }

    @Test
    void shouldNotRetryTheCallersFaultRefusalsUnknownHostsOrBugs() {
        assertFalse(FailureClassifier.isRetryable(ToolException.badInput("ms must be a number")));
        assertFalse(FailureClassifier.isRetryable(ToolException.refused("loopback")));
        assertFalse(FailureClassifier.isRetryable(ToolException.failed("no such tool: x.y")));
        assertFalse(FailureClassifier.isRetryable(new UnknownHostException("nope")));
        assertFalse(FailureClassifier.isRetryable(new IllegalStateException("bug")));
    }

    @Test
    void shouldLookThroughAsyncWrappers() {
        Throwable wrapped = new CompletionException(new ExecutionException(new TimeoutException("slow")));
        assertTrue(FailureClassifier.isRetryable(wrapped));
        assertEquals(ErrorCode.TIMEOUT, FailureClassifier.toError(wrapped).kind());
    }

    @Test
    void shouldFailFastOnAnOpenCircuitWithoutRetryButKeepTheTaskForReplay() {
        CallNotPermittedException open = CallNotPermittedException.createCallNotPermittedException(CircuitBreaker.ofDefaults("http_fetch"));

        assertFalse(FailureClassifier.isRetryable(open));
        assertTrue(FailureClassifier.isTransient(open));
        ErrorDetail error = FailureClassifier.toError(open);
        assertEquals(ErrorCode.TOOL_FAILED, error.kind());
        assertTrue(error.message().startsWith("circuit open"), error.message());
    }

    @Test
    void shouldKeepRefusalsAndBadInputOutOfTheDeadLetters() {
        assertFalse(FailureClassifier.isTransient(ToolException.refused("loopback")));
        assertFalse(FailureClassifier.isTransient(ToolException.badInput("bad")));
        assertTrue(FailureClassifier.isTransient(new TimeoutException("slow")));
    }

    @Test
    void shouldCarryTheToolsCodeMessageAndRetryAfterIntoTheError() {
        ErrorDetail refused = FailureClassifier.toError(ToolException.refused("http_fetch refuses localhost"));
        assertEquals(ErrorCode.DOMAIN_BLOCKED, refused.kind());
        assertEquals("http_fetch refuses localhost", refused.message());

        ToolException busy = ToolException.transientFailure("http_fetch got 429", Duration.ofSeconds(7));
        assertEquals(Optional.of(Duration.ofSeconds(7)), FailureClassifier.retryAfter(new CompletionException(busy)));
        assertEquals(7L, FailureClassifier.toError(busy).retryAfterS());
    }

    @Test
    void shouldNotRepeatTheTextOfUnexpectedExceptions() {
        ErrorDetail error = FailureClassifier.toError(new IllegalStateException("secret=hunter2"));
        assertEquals(ErrorCode.TOOL_FAILED, error.kind());
        assertFalse(error.message().contains("hunter2"));
        assertTrue(FailureClassifier.isUnexpected(new IllegalStateException("bug")));
        assertFalse(FailureClassifier.isUnexpected(ToolException.badInput("bad")));
    }
}
