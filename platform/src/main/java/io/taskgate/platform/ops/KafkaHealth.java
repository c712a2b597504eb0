package io.taskgate.platform.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.taskgate.platform.concurrent.BoundedExecutor;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Whether the cluster answers, checked in the background every few seconds so that a health
 * request or a fast-fail decision never waits on the network.
 */
public final class KafkaHealth implements AutoCloseable {
    private final Admin admin;
    private final ScheduledExecutorService scheduler;
    private volatile boolean up;

    public KafkaHealth(Admin admin, Duration interval, MeterRegistry metrics) {
        this.admin = admin;
        this.scheduler = BoundedExecutor.scheduled("kafka-health", 1, metrics);
        check();
        scheduler.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isUp() {
        return up;
    }

    private void check() {
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000)).clusterId().get(3, TimeUnit.SECONDS);
            up = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            up = false;
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        admin.close(Duration.ofSeconds(2));
    }
}
