package io.taskgate.ingress.status;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;

/** The Kafka Streams settings of the status view on one ingress instance. */
public final class TaskStatusStreamsConfig {

    private TaskStatusStreamsConfig() {
    }

    /**
     * The store cache is off so a change is in the store, and waiters are told, as soon as it is
     * processed; at-least-once is enough because {@link TaskView#reduce} is idempotent. Decisions
     * arrive in policy-stream's transactions, so the view reads committed records only: an aborted
     * decision is never shown. Each partition's store is kept warm on one more instance (when there
     * is one), so when its owner stops, another takes over reads within seconds instead of
     * rebuilding the store from the changelog first.
     */
    public static Properties of(String bootstrapServers, String topicPrefix, URI advertisedUrl, Path stateDir, int port) {
        HostInfo host = hostInfo(advertisedUrl);
        Properties props = new Properties();
        props.putAll(Map.of(
                StreamsConfig.APPLICATION_ID_CONFIG, topicPrefix + "-ingress-status",
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                StreamsConfig.APPLICATION_SERVER_CONFIG, host.host() + ":" + host.port(),
                // Several instances may share a data directory (or a JVM, in tests): one state dir per port.
                StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve("ingress-status-" + port).toString(),
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE,
                StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0,
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100,
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class,
                StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed"));
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1);
        return props;
    }

    /** Where other instances reach this one, as Kafka Streams names an instance. */
    static HostInfo hostInfo(URI advertisedUrl) {
        int port = advertisedUrl.getPort() != -1 ? advertisedUrl.getPort() : "https".equalsIgnoreCase(advertisedUrl.getScheme()) ? 443 : 80;
        return new HostInfo(advertisedUrl.getHost(), port);
    }
}
