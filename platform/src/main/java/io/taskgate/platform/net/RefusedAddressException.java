package io.taskgate.platform.net;

import java.net.UnknownHostException;

/**
 * A host Taskgate will not connect to on a caller's behalf. An {@link UnknownHostException}, so an
 * HTTP client's name resolution can refuse it and the connection is never made.
 */
public final class RefusedAddressException extends UnknownHostException {
    private static final long serialVersionUID = 1L;

    public RefusedAddressException(String message) {
        super(message);
    }
}
