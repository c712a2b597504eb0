package io.taskgate.platform.concurrent;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes what was opened in the reverse order it was opened, each part exactly once, so nothing is
 * closed while something opened after it still uses it. A part that fails to close is logged and
 * the rest are still closed: a shutdown never stops half way.
 */
public final class OrderedCloser implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OrderedCloser.class);

    private final Deque<Named> parts = new ArrayDeque<>();

    private record Named(String name, AutoCloseable part) {
    }

    /** Registers a part to close, named by its class in the log; returns it so it can be opened and registered in one line. */
    public <T extends AutoCloseable> T add(T part) {
        return add(part.getClass().getSimpleName(), part);
    }

    /** Registers a part to close under a name for the log; returns it. */
    public synchronized <T extends AutoCloseable> T add(String name, T part) {
        parts.push(new Named(name, part));
        return part;
    }

    @Override
    public void close() {
        Named next;
        while ((next = next()) != null) {
            try {
                next.part().close();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                LOG.warn("{} did not close cleanly: {}", next.name(), e.toString());
            }
        }
    }

    private synchronized Named next() {
        return parts.poll();
    }
}
