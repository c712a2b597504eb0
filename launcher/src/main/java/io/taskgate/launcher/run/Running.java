package io.taskgate.launcher.run;

import io.taskgate.platform.concurrent.OrderedCloser;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.BooleanSupplier;

/**
 * The parts a command started, closed in reverse order exactly once: by the shutdown hook on
 * Ctrl-C or SIGTERM, or by the command itself when a start fails half way.
 */
public final class Running implements AutoCloseable {
    private final Deque<Part> parts = new ArrayDeque<>();
    private final OrderedCloser closer = new OrderedCloser();
    private boolean closed;

    private record Part(String name, BooleanSupplier ready) {
    }

    public synchronized <T extends AutoCloseable> T add(String name, T closeable, BooleanSupplier ready) {
        parts.push(new Part(name, ready));
        return closer.add(name, closeable);
    }

    public synchronized <T extends AutoCloseable> T add(String name, T closeable) {
        return add(name, closeable, () -> true);
    }

    /** Names the first part that is not ready, or null when all are. */
    public synchronized String notReady() {
        for (Part part : parts) {
            if (!part.ready().getAsBoolean()) {
                return part.name();
            }
        }
        return null;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        parts.clear();
        closer.close();
    }
}
