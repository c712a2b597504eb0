package io.taskgate.kafka.embedded;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A single-node KRaft Kafka (combined broker and controller) running inside this JVM, for
 * {@code taskgate dev} and integration tests. Run at most one at a time per JVM: every instance is
 * node 1, and Kafka keeps its metrics and MBeans in process-wide registries.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration READY_POLL_INTERVAL = Duration.ofMillis(100);

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final boolean temporary;
    private final String bootstrapServers;
    private final Map<String, Integer> extraPorts;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafka(KafkaRaftServer server, Path dataDir, boolean temporary, String bootstrapServers,
                          Map<String, Integer> extraPorts) {
        this.server = server;
        this.dataDir = dataDir;
        this.temporary = temporary;
        this.bootstrapServers = bootstrapServers;
        this.extraPorts = extraPorts;
    }

    /**
     * Formats storage under dataDir (if not yet formatted), starts the broker on 127.0.0.1 with the
     * given port (0 = pick a free port), and waits until it answers an AdminClient describeCluster.
     * Reuses existing formatted storage on restart (same cluster id kept in dataDir).
     */
    public static EmbeddedKafka start(Path dataDir, int port) {
        return start(dataDir, port, ExtraListeners.none());
    }

    /** As {@link #start(Path, int)}, with more listeners and settings (on restart the extra listeners get new ports). */
    public static EmbeddedKafka start(Path dataDir, int port, ExtraListeners extras) {
        return start(dataDir, port, false, extras);
    }

    /** A broker in a fresh temp directory deleted on close; for tests. */
    public static EmbeddedKafka startTemporary() {
        return startTemporary(ExtraListeners.none());
    }

    /** A temporary broker with more listeners and settings, e.g. a SASL_SSL listener and an authorizer. */
    public static EmbeddedKafka startTemporary(ExtraListeners extras) {
        Path dir;
        try {
            dir = Files.createTempDirectory("taskgate-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary Kafka data directory", e);
        }
        return start(dir, 0, true, extras);
    }

    /** The plaintext listener's address. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The address of a listener added with {@link ExtraListeners#listener}. */
    public String bootstrapServers(String listenerName) {
        Integer port = extraPorts.get(listenerName);
        if (port == null) {
            throw new IllegalArgumentException("no listener named " + listenerName);
        }
        return BrokerSettings.HOST + ":" + port;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
            LOG.info("Embedded Kafka at {} stopped", bootstrapServers);
        } finally {
            if (temporary) {
                deleteQuietly(dataDir);
            }
        }
    }

    private static EmbeddedKafka start(Path dataDir, int port, boolean temporary, ExtraListeners extras) {
        long startNanos = System.nanoTime();
        int brokerPort = port == 0 ? freePort() : port;
        String bootstrapServers = BrokerSettings.HOST + ":" + brokerPort;
        Map<String, Integer> extraPorts = new LinkedHashMap<>();
        extras.protocols().keySet().forEach(name -> extraPorts.put(name, freePort()));
        KafkaRaftServer server = null;
        try {
            Files.createDirectories(dataDir);
            KafkaConfig config = new KafkaConfig(BrokerSettings.withExtras(
                    BrokerSettings.of(dataDir, brokerPort, freePort(), START_TIMEOUT), extraPorts, extras), false);
            formatIfNeeded(config);
            server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            awaitReady(bootstrapServers, startNanos + START_TIMEOUT.toNanos());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            RuntimeException failure = new IllegalStateException(
                    "Embedded Kafka failed to start on " + bootstrapServers + " with data dir " + dataDir + ": " + rootCauseMessage(e), e);
            stopAfterFailedStart(server, failure);
            if (temporary) {
                deleteQuietly(dataDir);
            }
            throw failure;
        }
        LOG.info("Embedded Kafka ready at {} (data dir {}) in {} ms",
                bootstrapServers, dataDir, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        return new EmbeddedKafka(server, dataDir, temporary, bootstrapServers, Map.copyOf(extraPorts));
    }

    /**
     * Formats only empty directories: formatting again would mint a new cluster id, and the broker
     * refuses storage whose meta.properties disagrees with what it is told.
     */
    private static void formatIfNeeded(KafkaConfig config) throws Exception {
        String logDir = config.metadataLogDir();
        MetaPropertiesEnsemble ensemble = new MetaPropertiesEnsemble.Loader().addLogDirs(List.of(logDir)).load();
        if (!ensemble.emptyLogDirs().contains(logDir)) {
            LOG.info("Reusing Kafka storage in {} (cluster id {})", logDir, ensemble.clusterId().orElse("?"));
            return;
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        new Formatter()
                .setPrintStream(new PrintStream(output, true, StandardCharsets.UTF_8))
                .setNodeId(BrokerSettings.NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setControllerListenerName(BrokerSettings.CONTROLLER_LISTENER)
                .setMetadataLogDirectory(logDir)
                .addDirectory(logDir)
                // Share groups are preview in 4.1 and would need an internal topic of their own.
                .setFeatureLevel(Feature.SHARE_VERSION.featureName(), (short) 0)
                .run();
        LOG.info("Formatted Kafka storage: {}", output.toString(StandardCharsets.UTF_8).strip());
    }

    /**
     * startup() already blocks until the broker is unfenced; this proves the client listener
     * serves metadata with this node in it, which is what callers actually depend on.
     */
    private static void awaitReady(String bootstrapServers, long deadlineNanos) throws InterruptedException, TimeoutException {
        Map<String, Object> adminConfig = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        Exception lastFailure = null;
        try (Admin admin = Admin.create(adminConfig)) {
            while (System.nanoTime() < deadlineNanos) {
                try {
                    long remainingMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
                    var nodes = admin.describeCluster().nodes().get(remainingMillis, TimeUnit.MILLISECONDS);
                    if (nodes.stream().mapToInt(Node::id).anyMatch(id -> id == BrokerSettings.NODE_ID)) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    lastFailure = e;
                }
                Thread.sleep(READY_POLL_INTERVAL.toMillis());
            }
        }
        TimeoutException timeout = new TimeoutException(
                "broker did not answer describeCluster within " + START_TIMEOUT.toSeconds() + " s");
        if (lastFailure != null) {
            timeout.initCause(lastFailure);
        }
        throw timeout;
    }

    private static void stopAfterFailedStart(KafkaRaftServer server, RuntimeException failure) {
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** Kafka wraps startup failures several times; the innermost message is the one that explains them. */
    private static String rootCauseMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getByName(BrokerSettings.HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port on " + BrokerSettings.HOST, e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            Utils.delete(dir.toFile());
        } catch (IOException e) {
            LOG.warn("Could not delete Kafka data directory {}", dir, e);
        }
    }
}
