package io.taskgate.platform.concurrent;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Names threads {@code <name>-1}, {@code <name>-2}, ... and makes them daemons, so a pool never keeps the JVM alive. */
public final class DaemonThreads implements ThreadFactory {
    private final String name;
    private final AtomicInteger count = new AtomicInteger();

    public DaemonThreads(String name) {
        this.name = name;
    }

    @Override
    public Thread newThread(Runnable runnable) {
        Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }
}
