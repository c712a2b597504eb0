package io.taskgate.workers.tools.http;

import io.taskgate.tool.api.ToolException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Decides whether a tool may connect to a host. May block on DNS, so it runs off the caller's thread. */
@FunctionalInterface
public interface TargetGuard {

    /** Returns when the host may be reached; throws a non-retryable {@link ToolException} when not. */
    void check(String host);

    /**
     * Resolves the host and returns the addresses that may be reached, which the caller connects
     * to without resolving again. {@link SsrfGuard} resolves once and checks what it resolved.
     */
    default List<InetAddress> resolveChecked(String host) {
        check(host);
        try {
            return List.of(InetAddress.getAllByName(host));
        } catch (UnknownHostException e) {
            throw ToolException.failed("cannot resolve host " + host);
        }
    }

    /** For tests and {@code TASKGATE_HTTP_FETCH_ALLOW_PRIVATE}: every host may be reached. */
    static TargetGuard allowAll() {
        return host -> { };
    }
}
