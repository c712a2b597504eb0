package io.taskgate.launcher.broker;

import io.taskgate.kafka.embedded.EmbeddedKafka;
import io.taskgate.launcher.run.Foreground;
import io.taskgate.launcher.run.Running;
import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The embedded single-node KRaft broker of {@code taskgate dev} on its own, so that services run
 * as separate processes (and can be killed and restarted one by one) share one local broker.
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = {
            "Run only the embedded single-node KRaft broker that taskgate dev starts, in the foreground, for local",
            "multi-process setups (not for production). Data under TASKGATE_DATA_DIR/kafka, kept across restarts.",
            "Prints 'taskgate broker ready (kafka=HOST:PORT)' when it answers. Ctrl-C stops it."})
public final class BrokerCommand implements Callable<Integer> {
    private static final int HIGHEST_PORT = 65_535;

    @Option(names = "--port", defaultValue = "9092",
            description = "the plaintext listener's port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE})")
    int port;

    @Override
    public Integer call() {
        EmbeddedKafka broker;
        try {
            if (port < 0 || port > HIGHEST_PORT) {
                throw new ConfigException("--port: expected 0 to " + HIGHEST_PORT + ", got " + port);
            }
            ConfigSource config = ConfigSource.load(System.getenv());
            broker = EmbeddedKafka.start(Path.of(config.string(Setting.DATA_DIR)).toAbsolutePath().resolve("kafka"), port);
        } catch (ConfigException e) {
            System.err.println("taskgate broker: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            System.err.println("taskgate broker: could not start: " + e.getMessage());
            return 1;
        }
        System.out.println("taskgate broker ready (kafka=" + broker.bootstrapServers() + ")");
        System.out.flush();
        Running running = new Running();
        running.add("kafka", broker);
        return Foreground.blockUntilShutdown(running);
    }
}
