package io.taskgate.launcher.dlq;

import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.KafkaSettings;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.kafka.KafkaSender;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "dlq", mixinStandardHelpOptions = true, description = "Dead-lettered tasks.",
        subcommands = DlqCommand.Replay.class)
public final class DlqCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Send dead-lettered tasks back to their pool (all not yet replayed, or one task).")
    public static final class Replay implements Callable<Integer> {
        @Option(names = "--task", description = "replay only this task id")
        String taskId;

        @Override
        public Integer call() {
            KafkaClients clients;
            try {
                clients = new KafkaClients(KafkaSettings.from(ConfigSource.load(System.getenv())));
            } catch (ConfigException e) {
                System.err.println("taskgate dlq replay: " + e.getMessage());
                return 2;
            }
            String group = clients.settings().topics().prefix() + "-dlq-replay";
            try (Consumer<byte[], byte[]> consumer = clients.newConsumer("taskgate-dlq-replay", group);
                 KafkaSender sender = new KafkaSender(clients.newProducer("taskgate-dlq-replay"))) {
                List<String> replayed = new DeadLetterReplay(clients.settings().topics(), consumer, sender)
                        .replay(Optional.ofNullable(taskId));
                replayed.forEach(id -> System.out.println("replayed " + id));
                System.out.println(replayed.size() + " task(s) sent back to their pool");
                return taskId != null && replayed.isEmpty() ? 1 : 0;
            }
        }
    }
}
