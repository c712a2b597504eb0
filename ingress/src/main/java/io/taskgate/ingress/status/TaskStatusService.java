package io.taskgate.ingress.status;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the status view's Kafka Streams app inside ingress: the status of every task, folded from
 * {@code task-events} into a persistent store partitioned like the topic. Every instance holds some
 * partitions ({@link TaskStatusStore} finds the owner of a task), and the view survives restarts
 * (the store is backed by a changelog topic).
 */
public final class TaskStatusService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TaskStatusService.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final TaskWaiters waiters;

    /** @param waiters the requests held open on this instance, released when the service closes */
    public TaskStatusService(Topology topology, Properties streamsConfig, TaskWaiters waiters, MeterRegistry metrics) {
        this.streams = new KafkaStreams(topology, streamsConfig);
        this.streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(metrics);
        this.waiters = waiters;
        streams.setUncaughtExceptionHandler(error -> {
            LOG.error("status view stream thread failed; replacing it", error);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    public void start() {
        streams.start();
    }

    public boolean isReady() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    KafkaStreams streams() {
        return streams;
    }

    @Override
    public void close() {
        // Leaving the group hands this instance's tasks to the others at once, not after a session timeout.
        streams.close(new KafkaStreams.CloseOptions().timeout(CLOSE_TIMEOUT).leaveGroup(true));
        streamsMetrics.close();
        waiters.closeAll();
    }
}
