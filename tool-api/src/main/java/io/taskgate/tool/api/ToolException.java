package io.taskgate.tool.api;

import io.taskgate.schemas.errors.ErrorCode;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A failure a tool reports on purpose, already classified: the code the task fails with, whether
 * trying again may help, and how long the other side asked us to wait. Expected failures carry no
 * stack trace, as they are outcomes rather than bugs.
 */
public final class ToolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final boolean retryable;
    private final transient Duration retryAfter;

    private ToolException(ErrorCode code, String message, boolean retryable, Duration retryAfter) {
        super(message, null, false, false);
        this.code = Objects.requireNonNull(code, "code");
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    /** The task's input is wrong: the caller's fault, never retried. */
    public static ToolException badInput(String message) {
        return new ToolException(ErrorCode.BAD_REQUEST, message, false, null);
    }

    /** The target is not allowed: never retried. */
    public static ToolException refused(String message) {
        return new ToolException(ErrorCode.DOMAIN_BLOCKED, message, false, null);
    }

    /** The tool failed for a reason that another attempt would not change. */
    public static ToolException failed(String message) {
        return new ToolException(ErrorCode.TOOL_FAILED, message, false, null);
    }

    /** A routed task's backend fails its health check: the task fails at once rather than wait on it. */
    public static ToolException backendUnavailable(String message) {
        return new ToolException(ErrorCode.BACKEND_UNAVAILABLE, message, false, null);
    }

    /** The tool failed for a reason that may pass: a busy or broken backend. */
    public static ToolException transientFailure(String message, Duration retryAfter) {
        return new ToolException(ErrorCode.TOOL_FAILED, message, true, retryAfter);
    }

    public ErrorCode code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
