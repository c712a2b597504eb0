package io.taskgate.testing;

import io.taskgate.kafka.embedded.EmbeddedKafka;
import io.taskgate.kafka.embedded.ExtraListeners;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A broker of a test's own, which the shared broker of {@link WithKafka} can never be: for a test
 * that stops (and maybe restarts) it, or for a class that needs a broker set up differently (a
 * SASL_SSL listener, an authorizer). Register it with {@code @RegisterExtension}; {@code new
 * PrivateKafka()} is stopped and its data deleted after each test, after the test's own
 * {@code @AfterEach} closed what used it; {@link #forClass} after the class's {@code @AfterAll}.
 */
public final class PrivateKafka implements AfterEachCallback, AfterAllCallback {
    private final boolean perClass;
    private ExtraListeners extras = ExtraListeners.none();
    private Path dataDir;
    private int port;
    private EmbeddedKafka broker;

    public PrivateKafka() {
        this(false);
    }

    private PrivateKafka(boolean perClass) {
        this.perClass = perClass;
    }

    /** A broker kept for a whole class: register it in a static field and start it in {@code @BeforeAll}. */
    public static PrivateKafka forClass() {
        return new PrivateKafka(true);
    }

    /** Starts the broker and provisions fresh topics for {@code pools} on it. */
    public TestKafka start(List<String> pools) {
        return start(pools, ExtraListeners.none());
    }

    /**
     * Starts the broker with more listeners and broker settings (e.g. a SASL_SSL listener and an
     * authorizer) and provisions fresh topics for {@code pools} over its plaintext listener.
     */
    public TestKafka start(List<String> pools, ExtraListeners extras) {
        this.extras = extras;
        try {
            dataDir = Files.createTempDirectory("taskgate-private-kafka-");
            port = freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        broker = EmbeddedKafka.start(dataDir, port, extras);
        return TestKafka.provisionedOn(broker.bootstrapServers(), pools);
    }

    /** The address of a listener added with {@link ExtraListeners#listener}. */
    public String bootstrapServers(String listenerName) {
        return broker.bootstrapServers(listenerName);
    }

    /** Takes the broker away, as an outage would. */
    public void stop() {
        broker.close();
    }

    /** Brings the broker back on the same address with the same data, so clients find it again. */
    public void restart() {
        broker = EmbeddedKafka.start(dataDir, port, extras);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (!perClass) {
            stopAndDelete();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        stopAndDelete();
    }

    private void stopAndDelete() throws IOException {
        if (broker == null) {
            return;
        }
        broker.close();
        broker = null;
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
