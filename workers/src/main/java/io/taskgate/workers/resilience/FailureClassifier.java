package io.taskgate.workers.resilience;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.taskgate.platform.concurrent.Futures;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import io.taskgate.tool.api.ToolException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Sorts a failed attempt: worth another try (timeouts, 5xx and 429 answers, broken connections),
 * or final (the caller's input, a refused target, an unknown host, an open circuit, a bug); and
 * turns it into the error a task fails with. Messages never carry exception text from unknown
 * code, which could hold anything.
 */
public final class FailureClassifier {

    private FailureClassifier() {
    }

    public static boolean isRetryable(Throwable failure) {
        Throwable cause = Futures.unwrap(failure);
        if (cause instanceof ToolException tool) {
            return tool.retryable();
        }
        if (cause instanceof TimeoutException || cause instanceof HttpTimeoutException || cause instanceof SocketTimeoutException) {
            return true;
        }
        if (cause instanceof UnknownHostException) {
            return false;
        }
        return cause instanceof IOException;
    }

    /**
     * Whether the failure says nothing about the task itself, so running it later may succeed:
     * retryable failures, and an open circuit. Such tasks go to the dead-letter topic for replay.
     */
    public static boolean isTransient(Throwable failure) {
        return isRetryable(failure) || Futures.unwrap(failure) instanceof CallNotPermittedException;
    }

    /** Whether the failure is none of the kinds tools and clients report on purpose: a bug to look at. */
    public static boolean isUnexpected(Throwable failure) {
        Throwable cause = Futures.unwrap(failure);
        return !(cause instanceof ToolException || cause instanceof TimeoutException || cause instanceof IOException
                || cause instanceof CallNotPermittedException);
    }

    /** The wait the other side asked for, if it did. */
    public static Optional<Duration> retryAfter(Throwable failure) {
        return Futures.unwrap(failure) instanceof ToolException tool ? tool.retryAfter() : Optional.empty();
    }

    public static ErrorDetail toError(Throwable failure) {
        Throwable cause = Futures.unwrap(failure);
        if (cause instanceof ToolException tool) {
            Optional<Duration> retryAfter = tool.retryAfter();
            return retryAfter.isPresent()
                    ? ErrorDetail.retryable(tool.code(), tool.getMessage(), Math.max(1, retryAfter.get().toSeconds()))
                    : ErrorDetail.of(tool.code(), tool.getMessage());
        }
        if (cause instanceof TimeoutException || cause instanceof HttpTimeoutException || cause instanceof SocketTimeoutException) {
            return ErrorDetail.of(ErrorCode.TIMEOUT, "the tool did not answer in time");
        }
        if (cause instanceof CallNotPermittedException) {
            return ErrorDetail.of(ErrorCode.TOOL_FAILED, "circuit open: the tool failed too often lately, try again later");
        }
        if (cause instanceof UnknownHostException) {
            return ErrorDetail.of(ErrorCode.TOOL_FAILED, "unknown host");
        }
        if (cause instanceof IOException) {
            return ErrorDetail.of(ErrorCode.TOOL_FAILED, "connection failed (" + cause.getClass().getSimpleName() + ")");
        }
        return ErrorDetail.of(ErrorCode.TOOL_FAILED, "the tool failed unexpectedly");
    }
}
