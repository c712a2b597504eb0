package io.taskgate.policy.workflows;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.policy.PolicyStreamConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running workflow coordinator and state processor ({@link WorkflowTopology}), a Kafka Streams
 * app of its own ({@code <prefix>-workflows}) in the policy-stream process. Start more policy-stream
 * instances to share its partitions; any of them may die at any point without losing a run.
 */
public final class WorkflowCoordinator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkflowCoordinator.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** Ended runs stay readable this long, then leave the store and the run views. */
    public static final Duration RUN_RETENTION = Duration.ofHours(24);

    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;

    private WorkflowCoordinator(KafkaStreams streams, KafkaStreamsMetrics streamsMetrics) {
        this.streams = streams;
        this.streamsMetrics = streamsMetrics;
    }

    public static WorkflowCoordinator start(PolicyStreamConfig config, KafkaClients clients, MeterRegistry metrics, Clock clock) {
        KafkaStreams streams = new KafkaStreams(WorkflowTopology.build(config.kafka().topics(), clock, RUN_RETENTION),
                streamsProperties(config, clients));
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(metrics);
        streams.setUncaughtExceptionHandler(error -> {
            LOG.error("workflow coordinator stopped; no run moves until it is restarted", error);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.start();
        return new WorkflowCoordinator(streams, streamsMetrics);
    }

    /** The coordinator's Streams application id, which is also its consumer group. */
    public static String applicationId(PolicyStreamConfig config) {
        return config.kafka().topics().prefix() + "-workflows";
    }

    static Properties streamsProperties(PolicyStreamConfig config, KafkaClients clients) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId(config));
        // The same connection as every other client (TASKGATE_KAFKA_*, SASL), not just the bootstrap address.
        props.putAll(clients.streamsConnection(applicationId(config)));
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toAbsolutePath().toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // As in the policy stream: a step's task (and a state write's outcome) is visible only once
        // its transaction commits, so the commit interval is the latency of every step hand-off.
        long commitMs = config.commitInterval().toMillis();
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitMs);
        props.put(StreamsConfig.POLL_MS_CONFIG, Math.max(1, commitMs / 2));
        // Commands and step events meet in one task. A run's events only follow its start, so there is
        // no order across the two inputs to wait for; by default the task idles until it has fetched
        // from both, which delays every step of a run whose partition of the other input is quiet.
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        return props;
    }

    public boolean isReady() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    @Override
    public void close() {
        streams.close(new KafkaStreams.CloseOptions().timeout(CLOSE_TIMEOUT).leaveGroup(true));
        streamsMetrics.close();
    }
}
