package io.taskgate.testing;

import io.taskgate.kafka.embedded.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A broker for one test that stops (and maybe restarts) it, which the shared broker of
 * {@link WithKafka} must never do. Register it with {@code @RegisterExtension}; it is stopped and
 * its data deleted after each test, after the test's own {@code @AfterEach} closed what used it.
 */
public final class PrivateKafka implements AfterEachCallback {
    private Path dataDir;
    private int port;
    private EmbeddedKafka broker;

    /** Starts the broker and provisions fresh topics for {@code pools} on it. */
    public TestKafka start(List<String> pools) {
        try {
            dataDir = Files.createTempDirectory("taskgate-private-kafka-");
            port = freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        broker = EmbeddedKafka.start(dataDir, port);
        return TestKafka.provisionedOn(broker.bootstrapServers(), pools);
    }

    /** Takes the broker away, as an outage would. */
    public void stop() {
        broker.close();
    }

    /** Brings the broker back on the same address with the same data, so clients find it again. */
    public void restart() {
        broker = EmbeddedKafka.start(dataDir, port);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
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
