package io.taskgate.launcher.run;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.ops.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * Runs services in the foreground until Ctrl-C or SIGTERM: start, wait until ready, print one
 * line, then block; the shutdown hook stops everything in reverse order. A bad setting stops the
 * start with one line naming it (exit 2); any other start failure exits 1.
 */
public final class Foreground {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private Foreground() {
    }

    public static int run(String name, ConfigSource config, Consumer<Services> start) {
        Running running = new Running();
        try {
            PrometheusMeterRegistry metrics = Metrics.newRegistry(config.string(Setting.REGION));
            start.accept(new Services(config, metrics, Clock.systemUTC(), running));
            Readiness.await(running, READY_TIMEOUT);
        } catch (ConfigException e) {
            running.close();
            System.err.println("taskgate " + name + ": " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            running.close();
            System.err.println("taskgate " + name + ": could not start: " + e.getMessage());
            return 1;
        }
        System.out.println("taskgate " + name + " ready (kafka=" + config.string(Setting.KAFKA_BOOTSTRAP) + ")");
        return blockUntilShutdown(running);
    }

    /** Blocks the calling thread until the JVM is asked to stop, then closes what runs. */
    public static int blockUntilShutdown(Running running) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "taskgate-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
