package io.taskgate.policy;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskgate.platform.kafka.CompactedTopicView;
import io.taskgate.policy.workflows.WorkflowCoordinator;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.ops.ConsumerGroupLag;
import io.taskgate.platform.ops.GatewayMeters;
import io.taskgate.policy.pools.PoolGate;
import io.taskgate.policy.pools.ReadyTopics;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.policy.PolicyRecord;
import io.taskgate.schemas.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running policy stream. {@link #start} publishes the policy file (if one is configured) so it
 * is in force before the first decision, then starts the Kafka Streams app of {@link PolicyTopology}.
 * Start more instances with the same application id to share the partitions. The workflow
 * coordinator and state processor ({@link WorkflowCoordinator}) run in the same process.
 */
public final class PolicyStreamService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyStreamService.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration LAG_INTERVAL = Duration.ofSeconds(10);

    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final CompactedTopicView<PolicyRecord> policies;
    private final ReadyTopics readyTopics;
    private final ConsumerGroupLag lag;
    private final WorkflowCoordinator workflows;

    private PolicyStreamService(KafkaStreams streams, KafkaStreamsMetrics streamsMetrics,
                                CompactedTopicView<PolicyRecord> policies, ReadyTopics readyTopics, ConsumerGroupLag lag,
                                WorkflowCoordinator workflows) {
        this.workflows = workflows;
        this.streams = streams;
        this.streamsMetrics = streamsMetrics;
        this.policies = policies;
        this.readyTopics = readyTopics;
        this.lag = lag;
    }

    /**
     * @throws io.taskgate.platform.config.ConfigException when the policy file cannot be read or is invalid
     */
    public static PolicyStreamService start(PolicyStreamConfig config, KafkaClients clients,
                                            PrometheusMeterRegistry metrics, Clock clock) {
        Topics topics = config.kafka().topics();
        Optional<PolicyFile> file = config.policyFile().map(PolicyFile::read);
        // One view of the policies topic: the file is checked against it, and it creates the ready
        // topics of every pool a policy (the file's too, once published) routes to.
        CompactedTopicView<PolicyRecord> policies = new CompactedTopicView<>(topics.policies(),
                clients.newConsumer("policy-stream-policies", null));
        ReadyTopics readyTopics = new ReadyTopics(topics, clients.newAdmin("policy-ready-topics"), metrics);
        readyTopics.follow(policies);
        KafkaStreams streams;
        try {
            policies.start();
            file.ifPresent(policyFile -> policyFile.publishUnlessInForce(policies, clients, topics, clock));
            streams = new KafkaStreams(PolicyTopology.build(topics, clock, metrics, new PoolGate(readyTopics, metrics)),
                    streamsProperties(config, clients));
        } catch (RuntimeException e) {
            policies.close();
            readyTopics.close();
            throw e;
        }
        // The reasons a policy gives, at zero from the start so that dashboards and alerts see them.
        Stream.of(ErrorCode.RATE_LIMITED, ErrorCode.POLICY_DENIED, ErrorCode.DOMAIN_BLOCKED)
                .forEach(reason -> GatewayMeters.policyDenials(metrics, reason.name().toLowerCase(Locale.ROOT)));
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(metrics);
        streams.setUncaughtExceptionHandler(error -> {
            LOG.error("policy stream stopped; no task is decided until it is restarted", error);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.start();
        ConsumerGroupLag lag = new ConsumerGroupLag(clients.newAdmin(config.applicationId() + "-lag"),
                List.of(config.applicationId(), WorkflowCoordinator.applicationId(config)), LAG_INTERVAL, metrics);
        WorkflowCoordinator workflows = WorkflowCoordinator.start(config, clients, metrics, clock);
        return new PolicyStreamService(streams, streamsMetrics, policies, readyTopics, lag, workflows);
    }

    static Properties streamsProperties(PolicyStreamConfig config, KafkaClients clients) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.putAll(clients.streamsConnection(config.applicationId()));
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toAbsolutePath().toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // Under exactly-once a decision reaches the (read_committed) workers only when its transaction
        // commits, and the stream thread checks whether a commit is due only after each poll returns.
        // With the defaults (100 ms each) an idle-then-busy stream held every decision ~100 ms; a poll
        // of half the commit interval keeps the commit close to its due time.
        long commitMs = config.commitInterval().toMillis();
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitMs);
        props.put(StreamsConfig.POLL_MS_CONFIG, Math.max(1, commitMs / 2));
        // A record no one can read is logged and skipped rather than stopping every decision.
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        return props;
    }

    /** True while the stream is running: its state is RUNNING, not starting, rebalancing or failed. */
    public boolean isReady() {
        return streams.state() == KafkaStreams.State.RUNNING && workflows.isReady();
    }

    @Override
    public void close() {
        workflows.close();
        lag.close();
        streams.close(new KafkaStreams.CloseOptions().timeout(CLOSE_TIMEOUT).leaveGroup(true));
        streamsMetrics.close();
        policies.close();
        readyTopics.close();
    }
}
