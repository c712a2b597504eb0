package io.taskgate.workers.plugins;

import io.taskgate.platform.kafka.KafkaSender;
import io.taskgate.schemas.tools.ToolAnnouncement;
import io.taskgate.schemas.topics.TopicSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells ingress which tasks this worker runs, on the compacted {@code tools} topic under its own
 * pool/instance key: once before it takes tasks, again every {@code interval} so the topic's
 * retention keeps it while the worker runs (sooner after a failed write), and a tombstone when the
 * worker stops cleanly. Other workers of the pool keep their own keys, so one stopping never
 * withdraws a tool the others still run.
 */
public final class ToolAnnouncer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ToolAnnouncer.class);
    private static final Duration RETRY_DELAY = Duration.ofSeconds(10);
    private static final Duration WITHDRAW_TIMEOUT = Duration.ofSeconds(5);

    private final KafkaSender sender;
    private final TopicSpec<String, ToolAnnouncement> topic;
    private final String pool;
    private final String instance;
    private final List<String> taskNames;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Duration interval;
    private final CountDownLatch firstWritten = new CountDownLatch(1);
    private ScheduledFuture<?> next;
    private boolean closed;

    public ToolAnnouncer(KafkaSender sender, TopicSpec<String, ToolAnnouncement> topic, String pool, String instance,
                         Set<String> taskNames, ScheduledExecutorService scheduler, Clock clock, Duration interval) {
        this.sender = sender;
        this.topic = topic;
        this.pool = pool;
        this.instance = instance;
        this.taskNames = taskNames.stream().sorted().toList();
        this.scheduler = scheduler;
        this.clock = clock;
        this.interval = interval;
    }

    /**
     * Announces and waits up to {@code wait} for Kafka to take it; past that the worker starts
     * anyway, and the announcement follows once Kafka answers (its built-in tools need none).
     *
     * @return whether the announcement was written within {@code wait}
     */
    public boolean start(Duration wait) {
        announce();
        try {
            return firstWritten.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Sends under the lock that {@link #close} takes, so no announcement can follow the tombstone. */
    private synchronized void announce() {
        if (closed) {
            return;
        }
        ToolAnnouncement announcement = new ToolAnnouncement(pool, instance, taskNames, clock.instant());
        sender.send(topic, announcement.key(), announcement).whenComplete((acked, failure) -> {
            if (failure == null) {
                firstWritten.countDown();
                scheduleNext(interval);
            } else {
                LOG.warn("could not announce this worker's tools on {} ({}); trying again in {}", topic.name(),
                        failure.getMessage(), RETRY_DELAY);
                scheduleNext(RETRY_DELAY);
            }
        });
    }

    private synchronized void scheduleNext(Duration delay) {
        if (closed) {
            return;
        }
        try {
            next = scheduler.schedule(this::announce, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("the worker's timers stopped; no further announcement");
        }
    }

    /** Withdraws this worker's announcement; call it before the producer closes. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (next != null) {
                next.cancel(false);
            }
        }
        try {
            sender.send(topic, ToolAnnouncement.key(pool, instance), null).get(WITHDRAW_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("could not withdraw this worker's tools from {}; the record ages out with the topic's retention", topic.name());
        }
    }
}
