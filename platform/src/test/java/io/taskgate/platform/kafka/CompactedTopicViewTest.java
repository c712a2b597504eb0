package io.taskgate.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.schemas.agents.AgentRecord;
import io.taskgate.schemas.topics.TopicSpec;
import io.taskgate.schemas.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CompactedTopicViewTest {
    private final TopicSpec<String, AgentRecord> topic = new Topics("test").agents();
    private final TopicPartition partition = new TopicPartition(topic.name(), 0);
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
    private CompactedTopicView<AgentRecord> view;

    @AfterEach
    void close() {
        if (view != null) {
            view.close();
        }
    }

    private void startWith(long endOffset) {
        consumer.updatePartitions(topic.name(), List.of(new PartitionInfo(topic.name(), 0, Node.noNode(), new Node[0], new Node[0])));
        consumer.updateBeginningOffsets(Map.of(partition, 0L));
        consumer.updateEndOffsets(Map.of(partition, endOffset));
        view = new CompactedTopicView<>(topic, consumer);
    }

    private void append(long offset, String key, AgentRecord value) {
        consumer.schedulePollTask(() -> consumer.addRecord(new ConsumerRecord<>(topic.name(), 0, offset,
                topic.keySerde().serializer().serialize(topic.name(), key),
                topic.valueSerde().serializer().serialize(topic.name(), value))));
    }

    private static AgentRecord agent(String id, boolean disabled) {
        return new AgentRecord(id, "bot-" + id, null, List.of("echo"), List.of("*"), Instant.EPOCH, null, null, disabled, null, null);
    }

    @Test
    void shouldReadTheWholeTopicBeforeSayingItCaughtUp() {
        startWith(2);
        append(0, "agt_1", agent("agt_1", false));
        append(1, "agt_2", agent("agt_2", false));
        view.start();
        assertTrue(view.awaitCaughtUp(Duration.ofSeconds(5)));
        assertEquals(2, view.snapshot().size());
    }

    @Test
    void shouldApplyUpdatesAndTombstonesInOrder() {
        startWith(0);
        List<String> changes = new CopyOnWriteArrayList<>();
        view.onChange((key, value) -> changes.add(key + "=" + (value == null ? "deleted" : value.disabled())));
        append(0, "agt_1", agent("agt_1", false));
        append(1, "agt_1", agent("agt_1", true));
        append(2, "agt_2", agent("agt_2", false));
        consumer.schedulePollTask(() -> consumer.addRecord(new ConsumerRecord<>(topic.name(), 0, 3,
                topic.keySerde().serializer().serialize(topic.name(), "agt_2"), null)));
        view.start();
        assertTrue(view.awaitApplied(0, 3, Duration.ofSeconds(5)));
        assertTrue(view.get("agt_1").orElseThrow().disabled());
        assertFalse(view.get("agt_2").isPresent());
        assertEquals(List.of("agt_1=false", "agt_1=true", "agt_2=false", "agt_2=deleted"), changes);
    }

    @Test
    void shouldEvictExpiredEntriesFromItsCopyOnly() {
        startWith(2);
        append(0, "agt_1", agent("agt_1", true));
        append(1, "agt_2", agent("agt_2", false));
        view.start();
        assertTrue(view.awaitCaughtUp(Duration.ofSeconds(5)));

        view.evictIf((key, agent) -> agent.disabled());

        assertFalse(view.get("agt_1").isPresent());
        assertTrue(view.get("agt_2").isPresent());
    }

    @Test
    void shouldSkipAnUnreadableRecordAndKeepGoing() {
        startWith(0);
        consumer.schedulePollTask(() -> consumer.addRecord(new ConsumerRecord<>(topic.name(), 0, 0,
                topic.keySerde().serializer().serialize(topic.name(), "agt_x"), "not json".getBytes())));
        append(1, "agt_1", agent("agt_1", false));
        view.start();
        assertTrue(view.awaitApplied(0, 1, Duration.ofSeconds(5)));
        assertTrue(view.get("agt_1").isPresent());
        assertFalse(view.get("agt_x").isPresent());
    }

    @Test
    void shouldTimeOutWaitingForAnOffsetThatNeverCame() {
        startWith(0);
        view.start();
        assertFalse(view.awaitApplied(0, 5, Duration.ofMillis(200)));
    }
}
