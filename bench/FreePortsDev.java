import io.taskgate.kafka.embedded.EmbeddedKafka;
import io.taskgate.launcher.dev.DevEnvironment;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.ops.Metrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * `taskgate dev` for benchmarks on a shared machine: every port (broker included) picked free, so it
 * never takes 8080/8081/9092 from someone else. Extra settings come from the environment as usual;
 * prints the ready line, then runs until killed. Run with the launcher's classpath (bench/webhooks.sh).
 */
public class FreePortsDev {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("taskgate-bench-");
        EmbeddedKafka broker = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        Map<Setting, String> decided = new HashMap<>(Map.of(
                Setting.DATA_DIR, dir.resolve("data").toString(),
                Setting.KAFKA_BOOTSTRAP, broker.bootstrapServers(),
                Setting.PORT, "0",
                Setting.AUDIT_PORT, "0"));
        DevEnvironment dev = DevEnvironment.start(ConfigSource.load(System.getenv()).withDefaults(decided),
                Metrics.newRegistry("bench"), Clock.systemUTC());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dev.close();
            broker.close();
        }));
        System.out.println(dev.readyLine());
        Thread.currentThread().join();
    }
}
