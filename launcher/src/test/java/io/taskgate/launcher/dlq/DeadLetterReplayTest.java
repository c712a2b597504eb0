package io.taskgate.launcher.dlq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.taskgate.platform.kafka.KafkaSender;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import io.taskgate.schemas.tasks.DeadLetter;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.topics.TopicSpec;
import io.taskgate.schemas.topics.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class DeadLetterReplayTest {
    private final Topics topics = new Topics("test");
    private final TopicSpec<String, DeadLetter> dlq = topics.deadLetters();
    private final TopicPartition partition = new TopicPartition(dlq.name(), 0);
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());

    private DeadLetterReplay replayWith(DeadLetter... letters) {
        consumer.updatePartitions(dlq.name(), List.of(new PartitionInfo(dlq.name(), 0, Node.noNode(), new Node[0], new Node[0])));
        consumer.updateBeginningOffsets(Map.of(partition, 0L));
        consumer.updateEndOffsets(Map.of(partition, (long) letters.length));
        for (int offset = 0; offset < letters.length; offset++) {
            int at = offset;
            consumer.schedulePollTask(() -> consumer.addRecord(new ConsumerRecord<>(dlq.name(), 0, at,
                    dlq.keySerde().serializer().serialize(dlq.name(), letters[at].task().taskId()),
                    dlq.valueSerde().serializer().serialize(dlq.name(), letters[at]))));
        }
        return new DeadLetterReplay(topics, consumer, new KafkaSender(producer));
    }

    private static DeadLetter letter(String taskId, String pool) {
        TaskMessage task = new TaskMessage(taskId, "http_fetch.get", "agt_1", "bot", JsonNodeFactory.instance.objectNode(),
                null, "req_1", null, null, Instant.EPOCH, pool);
        return new DeadLetter(task, ErrorDetail.of(ErrorCode.TOOL_FAILED, "503 three times"), 3, Instant.EPOCH);
    }

    @Test
    void shouldSendEveryDeadLetterBackToItsPoolAndRememberWhereItGot() {
        DeadLetterReplay replay = replayWith(letter("tsk_a", "default"), letter("tsk_b", "llm"));

        List<String> replayed = replay.replay(Optional.empty());

        assertEquals(List.of("tsk_a", "tsk_b"), replayed);
        List<String> destinations = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> sent : producer.history()) {
            destinations.add(sent.topic() + " " + new String(sent.key()));
        }
        assertEquals(List.of("test.tasks.ready.default tsk_a", "test.tasks.ready.llm tsk_b"), destinations);
        assertEquals(2L, consumer.committed(java.util.Set.of(partition)).get(partition).offset());
    }

    @Test
    void shouldReplayOnlyTheNamedTaskAndMoveNoOffsets() {
        DeadLetterReplay replay = replayWith(letter("tsk_a", "default"), letter("tsk_b", null));

        List<String> replayed = replay.replay(Optional.of("tsk_b"));

        assertEquals(List.of("tsk_b"), replayed);
        assertEquals(1, producer.history().size());
        assertEquals("test.tasks.ready.default", producer.history().get(0).topic());
        assertTrue(consumer.committed(java.util.Set.of(partition)).isEmpty() || consumer.committed(java.util.Set.of(partition)).get(partition) == null);
    }
}
