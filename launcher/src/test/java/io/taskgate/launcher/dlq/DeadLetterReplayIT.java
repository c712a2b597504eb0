package io.taskgate.launcher.dlq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.kafka.KafkaSender;
import io.taskgate.platform.kafka.TopicPartitions;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import io.taskgate.schemas.tasks.DeadLetter;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.topics.TopicSpec;
import io.taskgate.schemas.topics.Topics;
import io.taskgate.testing.TestKafka;
import io.taskgate.testing.WithKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.junit.jupiter.api.Test;

/** {@code taskgate dlq replay} against a real broker: dead letters back to their pools, each once. */
@WithKafka(pools = {Topics.DEFAULT_POOL, "gpu"})
class DeadLetterReplayIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final Topics topics;
    private final KafkaClients clients;

    DeadLetterReplayIT(TestKafka kafka) {
        this.topics = kafka.topics();
        this.clients = kafka.clients();
    }

    @Test
    void shouldReplayEachDeadLetterOnceToItsPoolAndOneTaskOnDemand() throws Exception {
        deadLetter("tsk_a", Topics.DEFAULT_POOL);
        deadLetter("tsk_b", "gpu");

        assertEquals(Set.of("tsk_a", "tsk_b"), Set.copyOf(replay(Optional.empty())));
        assertEquals(List.of("tsk_a"), readyTaskIds(topics.ready(Topics.DEFAULT_POOL), 1));
        assertEquals(List.of("tsk_b"), readyTaskIds(topics.ready("gpu"), 1));

        assertEquals(List.of(), replay(Optional.empty()), "what was replayed is not replayed again");
        assertEquals(List.of("tsk_a"), replay(Optional.of("tsk_a")), "one task on demand, wherever it is");

        deadLetter("tsk_c", Topics.DEFAULT_POOL);
        assertEquals(List.of("tsk_c"), replay(Optional.empty()), "replaying one task moved no offsets");
        assertEquals(List.of("tsk_a", "tsk_a", "tsk_c"), readyTaskIds(topics.ready(Topics.DEFAULT_POOL), 3).stream().sorted().toList());
    }

    private List<String> replay(Optional<String> taskId) {
        try (Consumer<byte[], byte[]> consumer = clients.newConsumer("it-dlq-replay", topics.prefix() + "-dlq-replay");
             KafkaSender sender = new KafkaSender(clients.newProducer("it-dlq-replay"))) {
            return new DeadLetterReplay(topics, consumer, sender).replay(taskId);
        }
    }

    private void deadLetter(String taskId, String pool) throws Exception {
        TaskMessage task = new TaskMessage(taskId, "echo.run", "agt_1", "it-bot", JsonNodeFactory.instance.objectNode(),
                null, "req-" + taskId, null, "127.0.0.1", Instant.now(), pool);
        try (KafkaSender sender = new KafkaSender(clients.newProducer("it-worker"))) {
            sender.send(topics.deadLetters(), taskId,
                    new DeadLetter(task, ErrorDetail.of(ErrorCode.TOOL_FAILED, "backend answered 503"), 3, Instant.now()))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /** The task ids on a ready topic (in no particular order across partitions), once it holds {@code count}. */
    private List<String> readyTaskIds(TopicSpec<String, TaskMessage> ready, int count) {
        List<String> ids = new ArrayList<>();
        try (Consumer<byte[], byte[]> consumer = clients.newConsumer("it-ready-reader", null)) {
            TopicPartitions.assignFromStart(consumer, ready.name(), DEADLINE);
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (ids.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200))
                        .forEach(record -> ids.add(ready.valueSerde().deserializer()
                                .deserialize(ready.name(), record.value()).taskId()));
            }
        }
        return ids;
    }
}
