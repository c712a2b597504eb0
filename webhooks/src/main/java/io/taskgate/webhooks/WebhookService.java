package io.taskgate.webhooks;

import io.micrometer.core.instrument.MeterRegistry;
import io.taskgate.platform.concurrent.BoundedExecutor;
import io.taskgate.platform.concurrent.DaemonThreads;
import io.taskgate.platform.concurrent.OrderedCloser;
import io.taskgate.platform.kafka.CompactedTopicView;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.kafka.KafkaSender;
import io.taskgate.platform.net.TargetAddresses;
import io.taskgate.schemas.agents.AgentRecord;
import io.taskgate.schemas.topics.Topics;
import io.taskgate.webhooks.deliver.Deliverer;
import io.taskgate.webhooks.deliver.DeliveryConsumer;
import io.taskgate.webhooks.schedule.WebhookStreamsConfig;
import io.taskgate.webhooks.schedule.WebhookTopology;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook deliverer ({@code taskgate webhooks}): the scheduler, a Kafka Streams app keeping every
 * pending webhook in a store backed by Kafka, and the delivery consumer making the attempts. Both
 * scale with the partitions of {@code task-events} and {@code webhooks}: start more instances.
 */
public final class WebhookService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookService.class);
    static final String SERVICE = "webhooks";
    private static final Duration AGENTS_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration COMMIT_INTERVAL = Duration.ofMillis(200);
    /** A retry goes out up to this much after its time; the first attempt does not wait for it. */
    private static final Duration TICK = Duration.ofMillis(250);
    /** The largest webhook body; beyond it the result is left out and read with a GET. */
    private static final int MAX_PAYLOAD_BYTES = 256 * 1024;
    /** Attempts waiting for a thread, beyond those running; beyond them attempts are deferred. */
    private static final int ATTEMPT_QUEUE = 256;

    private final OrderedCloser parts;
    private final KafkaStreams streams;
    private final DeliveryConsumer consumer;
    private final CompactedTopicView<AgentRecord> agents;

    private WebhookService(OrderedCloser parts, KafkaStreams streams, DeliveryConsumer consumer,
                           CompactedTopicView<AgentRecord> agents) {
        this.parts = parts;
        this.streams = streams;
        this.consumer = consumer;
        this.agents = agents;
    }

    public static WebhookService start(WebhookConfig config, KafkaClients clients, MeterRegistry metrics, Clock clock) {
        OrderedCloser parts = new OrderedCloser();
        try {
            return assemble(config, clients, metrics, clock, parts);
        } catch (RuntimeException e) {
            parts.close();
            throw e;
        }
    }

    private static WebhookService assemble(WebhookConfig config, KafkaClients clients, MeterRegistry metrics, Clock clock,
                                           OrderedCloser parts) {
        Topics topics = config.kafka().topics();
        String instance = SERVICE + "-" + UUID.randomUUID().toString().substring(0, 8);
        CompactedTopicView<AgentRecord> agents = parts.add(new CompactedTopicView<>(topics.agents(),
                clients.newConsumer(instance + "-agents", null)));
        agents.start();
        if (!agents.awaitCaughtUp(AGENTS_TIMEOUT)) {
            throw new IllegalStateException("the webhook deliverer could not read the agents topic within "
                    + AGENTS_TIMEOUT.toSeconds() + " s; is Kafka at " + config.kafka().bootstrapServers() + " reachable?");
        }
        KafkaSender outcomes = parts.add(new KafkaSender(clients.newProducer(instance)));
        ExecutorService attemptPool = BoundedExecutor.create("taskgate-webhook-attempts", config.concurrency(), ATTEMPT_QUEUE, metrics);
        parts.add(() -> BoundedExecutor.stop(attemptPool, CLOSE_TIMEOUT));
        ScheduledExecutorService timers = BoundedExecutor.scheduled("taskgate-webhook-timers", 1, metrics);
        parts.add(timers::shutdownNow);
        Deliverer deliverer = parts.add(Deliverer.create(TargetAddresses.usingSystemResolver(config.allowPrivate()), timers,
                attemptPool, outcomes, topics.webhooks(), agents::get, metrics, clock, config.timeout(), config.allowHttp(),
                config.concurrency(), config.hostConcurrency()));

        Properties streamsConfig = WebhookStreamsConfig.of(clients.settings().bootstrapServers(), topics.prefix(), config.stateDir());
        streamsConfig.putAll(clients.streamsConnection(streamsConfig.getProperty(StreamsConfig.APPLICATION_ID_CONFIG)));
        KafkaStreams streams = new KafkaStreams(
                WebhookTopology.build(topics, new WebhookTopology.Settings(config.schedule(), TICK, MAX_PAYLOAD_BYTES,
                        config.retention()), clock),
                streamsConfig);
        streams.setUncaughtExceptionHandler(error -> {
            LOG.error("webhook scheduler stream thread failed; replacing it", error);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        parts.add(() -> streams.close(new KafkaStreams.CloseOptions().timeout(CLOSE_TIMEOUT).leaveGroup(true)));
        streams.start();

        DeliveryConsumer consumer = new DeliveryConsumer(
                clients.newConsumer(instance + "-delivery", topics.prefix() + "-webhook-delivery"), topics.webhooks(), deliverer,
                config.concurrency() + ATTEMPT_QUEUE, COMMIT_INTERVAL, config.timeout().plusSeconds(2));
        Thread poller = new DaemonThreads("taskgate-webhook-consumer").newThread(consumer);
        parts.add(() -> stopAndWait(consumer, poller));
        poller.start();
        LOG.info("webhook deliverer started (schedule {}, timeout {} ms)", config.schedule().delays(), config.timeout().toMillis());
        return new WebhookService(parts, streams, consumer, agents);
    }

    private static void stopAndWait(DeliveryConsumer consumer, Thread poller) {
        consumer.stop();
        try {
            poller.join(CLOSE_TIMEOUT.plusSeconds(20).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ready when the scheduler runs, the consumer joined its group and the agents are read. */
    public boolean isReady() {
        return streams.state() == KafkaStreams.State.RUNNING && consumer.isReady() && agents.awaitCaughtUp(Duration.ZERO);
    }

    @Override
    public void close() {
        parts.close();
    }
}
