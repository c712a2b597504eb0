package io.taskgate.workers.tools.http;

import io.taskgate.workers.tools.ToolException;

/** Decides whether http_fetch may connect to a host. May block on DNS, so it runs off the caller's thread. */
@FunctionalInterface
public interface TargetGuard {

    /** Returns when the host may be reached; throws a non-retryable {@link ToolException} when not. */
    void check(String host);

    /** For tests and {@code TASKGATE_HTTP_FETCH_ALLOW_PRIVATE}: every host may be reached. */
    static TargetGuard allowAll() {
        return host -> { };
    }
}
