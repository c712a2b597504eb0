package io.taskgate.audit.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskgate.audit.AuditEvents;
import io.taskgate.audit.chain.AuditVerifier;
import io.taskgate.audit.store.AuditQuery;
import io.taskgate.audit.store.AuditReader;
import io.taskgate.audit.store.AuditWriter;
import io.taskgate.audit.store.SourceRecord;
import io.taskgate.audit.store.StoredRecord;
import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.schemas.audit.AuditEvent;
import io.taskgate.schemas.json.JsonSerde;
import io.taskgate.testing.Await;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditConsumerTest {
    private static final String TOPIC = "t.audit";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private AuditWriter store;

    @BeforeEach
    void openStore() {
        store = AuditWriter.open(url());
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.updateEndOffsets(Map.of(P0, 0L, P1, 0L));
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void shouldStoreEachPollAndCommitTheNextOffsetsToKafka() {
        try (AuditConsumer sink = newSink()) {
            sink.start();
            consumer.schedulePollTask(() -> {
                consumer.rebalance(List.of(P0, P1));
                consumer.addRecord(kafkaRecord(0, 0));
                consumer.addRecord(kafkaRecord(0, 1));
                consumer.addRecord(kafkaRecord(1, 0));
            });

            Await.until("three records stored", () -> AuditReader.open(url()).headSeq() == 3, WAIT);
            Await.until("sink ready", sink::isReady, WAIT);

            assertEquals(Map.of(0, 2L, 1, 1L), store.nextOffsets(TOPIC));
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.of(P0, P1));
            assertEquals(2L, committed.get(P0).offset());
            assertEquals(1L, committed.get(P1).offset());
            assertEquals(3.0, registry.get("taskgate_audit_records_stored").counter().count());
            assertEquals(3.0, registry.get("taskgate_audit_chain_head_seq").gauge().value());
        }
    }

    @Test
    void shouldRewindAndRetryWhenTheDatabaseRefusesABatch() {
        try (AuditConsumer sink = newSink()) {
            sink.start();
            consumer.schedulePollTask(() -> consumer.rebalance(List.of(P0, P1)));
            Await.until("sink ready", sink::isReady, WAIT);
            sql("ALTER TABLE audit_records RENAME TO audit_records_away");

            consumer.schedulePollTask(() -> {
                consumer.addRecord(kafkaRecord(0, 0));
                consumer.addRecord(kafkaRecord(0, 1));
            });
            Await.until("a refused batch", () -> registry.get("taskgate_audit_store_failures").counter().count() >= 1, WAIT);

            assertFalse(sink.isReady(), "not ready while the database refuses records");
            assertEquals(0L, consumer.position(P0), "rewound to the first record of the refused batch");
            sql("ALTER TABLE audit_records_away RENAME TO audit_records");
            consumer.schedulePollTask(() -> {
                consumer.addRecord(kafkaRecord(0, 0));
                consumer.addRecord(kafkaRecord(0, 1));
            });
            Await.until("records stored on retry", () -> AuditReader.open(url()).headSeq() == 2, WAIT);
            Await.until("ready again", sink::isReady, WAIT);
            assertTrue(new AuditVerifier(AuditReader.open(url())).verify().ok());
        }
    }

    @Test
    void shouldPositionPartitionsFromTheStoredOffsetsAndUnknownOnesFromOffsetZero() {
        store.append(TOPIC, List.of(source(0, 0), source(0, 1), source(0, 2)));
        consumer.updateBeginningOffsets(Map.of(P1, 4L));
        consumer.commitSync(Map.of(P0, new OffsetAndMetadata(1), P1, new OffsetAndMetadata(9)));
        StoredOffsets offsets = new StoredOffsets(consumer, store, TOPIC);
        consumer.subscribe(List.of(TOPIC), offsets);

        consumer.rebalance(List.of(P0, P1));

        assertEquals(3L, consumer.position(P0), "the database's offset, not Kafka's committed 1");
        assertEquals(0L, consumer.position(P1), "from 0, not Kafka's committed 9; anything below the log start is a gap");
        assertTrue(consumer.paused().isEmpty());
        assertTrue(offsets.settled());
    }

    @Test
    void shouldKeepNewPartitionsPausedUntilTheDatabaseAnswers() {
        store.append(TOPIC, List.of(source(0, 0)));
        StoredOffsets offsets = new StoredOffsets(consumer, store, TOPIC);
        consumer.subscribe(List.of(TOPIC), offsets);
        sql("ALTER TABLE audit_offsets RENAME TO audit_offsets_away");

        consumer.rebalance(List.of(P0));

        assertEquals(Set.of(P0), consumer.paused());
        assertFalse(offsets.settled());
        sql("ALTER TABLE audit_offsets_away RENAME TO audit_offsets");
        offsets.positionFromStore();
        assertTrue(consumer.paused().isEmpty());
        assertEquals(1L, consumer.position(P0));
        assertTrue(offsets.settled());
    }

    @Test
    void shouldChainAGapAndCountItWhenTheNextOffsetWasDeletedFromTheTopic() {
        store.append(TOPIC, List.of(source(0, 0), source(0, 1)));
        consumer.updateBeginningOffsets(Map.of(P0, 5L, P1, 0L));
        consumer.updateEndOffsets(Map.of(P0, 7L, P1, 0L));
        try (AuditConsumer sink = newSink()) {
            sink.start();
            consumer.schedulePollTask(() -> {
                consumer.rebalance(List.of(P0, P1));
                consumer.setPollException(new OffsetOutOfRangeException("deleted by retention", Map.of(P0, 2L)));
            });

            Await.until("gap record stored", () -> AuditReader.open(url()).headSeq() == 3, WAIT);
            consumer.schedulePollTask(() -> {
                consumer.addRecord(kafkaRecord(0, 5));
                consumer.addRecord(kafkaRecord(0, 6));
            });
            Await.until("records after the gap stored", () -> AuditReader.open(url()).headSeq() == 5, WAIT);

            assertEquals(1.0, registry.get("taskgate_audit_gaps").counter().count());
            assertEquals(3.0, registry.get("taskgate_audit_records_lost").counter().count());
            assertEquals(Map.of(0, 7L), store.nextOffsets(TOPIC));
            List<StoredRecord> gaps = AuditReader.open(url()).query(new AuditQuery(null, null, "audit.gap", null, null, 10));
            assertEquals(1, gaps.size());
            assertEquals(2, gaps.get(0).details().get("first_offset").asLong());
            assertEquals(4, gaps.get(0).details().get("last_offset").asLong());
            assertTrue(new AuditVerifier(AuditReader.open(url())).verify().ok());
        }
    }

    private AuditConsumer newSink() {
        return new AuditConsumer(consumer, TOPIC, store, new SinkMetrics(registry, AuditReader.open(url()).headSeq()), Clock.systemUTC());
    }

    private static SourceRecord source(int partition, long offset) {
        return AuditEvents.record(partition, offset, event(partition, offset));
    }

    private static ConsumerRecord<byte[], byte[]> kafkaRecord(int partition, long offset) {
        byte[] value = new JsonSerde<>(AuditEvent.class).toBytes(event(partition, offset));
        return new ConsumerRecord<>(TOPIC, partition, offset, "agt_1".getBytes(), value);
    }

    /** Every event has an id of its own, as every service's events do. */
    private static AuditEvent event(int partition, long offset) {
        return AuditEvents.event("e" + partition + "-" + offset, T0.plusSeconds(offset), AuditAction.TASK_STARTED, "agt_1", "t" + offset, Map.of());
    }

    private String url() {
        return "jdbc:sqlite:" + dir.resolve("audit.db");
    }

    private void sql(String statement) {
        try (Connection connection = DriverManager.getConnection(url()); Statement sql = connection.createStatement()) {
            sql.execute(statement);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
