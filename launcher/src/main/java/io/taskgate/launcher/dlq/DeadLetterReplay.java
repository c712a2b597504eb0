package io.taskgate.launcher.dlq;

import io.taskgate.platform.kafka.KafkaSender;
import io.taskgate.platform.kafka.TopicPartitions;
import io.taskgate.schemas.tasks.DeadLetter;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.topics.TopicSpec;
import io.taskgate.schemas.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Sends dead-lettered tasks back to their pool's ready topic. Without a task id it replays every
 * dead letter not replayed before (the replay group's committed offsets remember where it got to);
 * with one, it replays that task's dead letters wherever they are and moves no offsets.
 */
public final class DeadLetterReplay {
    private static final Duration POLL = Duration.ofMillis(500);

    private final Topics topics;
    private final Consumer<byte[], byte[]> consumer;
    private final KafkaSender sender;

    public DeadLetterReplay(Topics topics, Consumer<byte[], byte[]> consumer, KafkaSender sender) {
        this.topics = topics;
        this.consumer = consumer;
        this.sender = sender;
    }

    /** Replays and returns the ids of the tasks sent back, once Kafka acknowledged them all. */
    public List<String> replay(Optional<String> taskId) {
        TopicSpec<String, DeadLetter> dlq = topics.deadLetters();
        List<TopicPartition> partitions = TopicPartitions.of(consumer, dlq.name(), Duration.ofSeconds(10));
        consumer.assign(partitions);
        if (taskId.isPresent()) {
            consumer.seekToBeginning(partitions);
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        List<String> replayed = new ArrayList<>();
        List<CompletableFuture<?>> acks = new ArrayList<>();
        while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                DeadLetter letter = dlq.valueSerde().deserializer().deserialize(record.topic(), record.value());
                if (letter == null || taskId.filter(id -> !id.equals(letter.task().taskId())).isPresent()) {
                    continue;
                }
                TaskMessage task = letter.task();
                String pool = task.pool() == null ? Topics.DEFAULT_POOL : task.pool();
                acks.add(sender.send(topics.ready(pool), task.taskId(), task));
                replayed.add(task.taskId());
            }
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
        if (taskId.isEmpty()) {
            Map<TopicPartition, OffsetAndMetadata> done = new java.util.HashMap<>();
            ends.forEach((partition, end) -> done.put(partition, new OffsetAndMetadata(end)));
            consumer.commitSync(done);
        }
        return replayed;
    }
}
