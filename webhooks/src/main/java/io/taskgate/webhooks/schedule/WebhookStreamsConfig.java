package io.taskgate.webhooks.schedule;

import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/** The Kafka Streams settings of the webhook scheduler. */
public final class WebhookStreamsConfig {
    /**
     * Exactly-once commits are what make an attempt's outcome, its task event and its audit record
     * all-or-nothing; every commit also adds this much to the time before a due record reaches the
     * deliverers, so it is kept short.
     */
    private static final int COMMIT_INTERVAL_MS = 50;
    /**
     * Kafka Streams' consumers do not send LeaveGroup on close (measured with 4.1.1: a restarted
     * scheduler waited the whole 45 s default session timeout before it got its partitions back), so
     * a deliverer that stops or dies holds its share of the schedule for this long; kept short, as
     * retries due meanwhile wait for it.
     */
    private static final int SESSION_TIMEOUT_MS = 10_000;

    private WebhookStreamsConfig() {
    }

    public static Properties of(String bootstrapServers, String topicPrefix, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, topicPrefix + "-webhooks");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve("webhooks").toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS);
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), SESSION_TIMEOUT_MS);
        return props;
    }
}
