package io.taskgate.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskgate.audit.chain.AuditVerifier;
import io.taskgate.audit.chain.VerifyResult;
import io.taskgate.audit.store.AuditQuery;
import io.taskgate.audit.store.AuditReader;
import io.taskgate.audit.store.StoredRecord;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.ops.Metrics;
import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.schemas.audit.AuditEvent;
import io.taskgate.schemas.json.JsonSerde;
import io.taskgate.testing.Await;
import io.taskgate.testing.LocalPostgres;
import io.taskgate.testing.TestKafka;
import io.taskgate.testing.WithKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records the topic deleted before the sink read them end in a gap record and an alert, over the real broker. */
@WithKafka
class AuditGapIT {
    private static final String TOKEN = "it-admin-token-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final JsonSerde<AuditEvent> SERDE = new JsonSerde<>(AuditEvent.class);

    @TempDir
    Path dir;

    @Test
    void shouldChainAGapAndCountItWhenRecordsWereDeletedBeforeTheSinkReadThemOnSqlite(TestKafka kafka) throws Exception {
        gapsAreChainedAndCounted(kafka, "jdbc:sqlite:" + dir.resolve("audit.db"));
    }

    @Test
    void shouldChainAGapAndCountItWhenRecordsWereDeletedBeforeTheSinkReadThemOnPostgres(TestKafka kafka) throws Exception {
        LocalPostgres.require();
        String schema = LocalPostgres.newSchemaName("audit_gap");
        try {
            gapsAreChainedAndCounted(kafka.fresh(), LocalPostgres.freshSchemaUrl(schema));
        } finally {
            LocalPostgres.dropSchema(schema);
        }
    }

    private void gapsAreChainedAndCounted(TestKafka kafka, String jdbcUrl) throws Exception {
        AuditSinkConfig config = AuditSinkConfig.from(ConfigSource.of(Map.of(
                Setting.KAFKA_BOOTSTRAP, kafka.bootstrapServers(),
                Setting.TOPIC_PREFIX, kafka.topics().prefix(),
                Setting.ADMIN_TOKEN, TOKEN,
                Setting.AUDIT_JDBC_URL, jdbcUrl)));
        KafkaClients clients = new KafkaClients(config.kafka());
        TopicPartition partition = new TopicPartition(config.kafka().topics().audit().name(), 0);
        try (Admin admin = clients.newAdmin("it-admin"); Producer<byte[], byte[]> producer = clients.newProducer("it-raw")) {
            // Never read: offsets 0-2 are deleted before the sink first starts.
            produce(producer, partition, 0, 5);
            deleteBefore(admin, partition, 3);

            PrometheusMeterRegistry firstMetrics = Metrics.newRegistry("it");
            try (AuditSinkService sink = AuditSinkService.start(config, clients, firstMetrics, Clock.systemUTC())) {
                Await.until("gap and the two records after it stored", () -> headSeq(config) == 3, WAIT);
                Await.until("sink ready", sink::isReady, WAIT);
            }
            assertEquals(1.0, firstMetrics.get("taskgate_audit_gaps").counter().count());
            assertEquals(3.0, firstMetrics.get("taskgate_audit_records_lost").counter().count());

            // The sink falls behind: offsets 5-8 arrive while it is down, and 5-6 are deleted before it is back.
            produce(producer, partition, 5, 9);
            deleteBefore(admin, partition, 7);

            PrometheusMeterRegistry secondMetrics = Metrics.newRegistry("it");
            try (AuditSinkService sink = AuditSinkService.start(config, clients, secondMetrics, Clock.systemUTC())) {
                Await.until("second gap and the two records after it stored", () -> headSeq(config) == 6, WAIT);
            }
            assertEquals(1.0, secondMetrics.get("taskgate_audit_gaps").counter().count());
            assertEquals(2.0, secondMetrics.get("taskgate_audit_records_lost").counter().count());
        }

        AuditReader reader = AuditReader.open(config.jdbcUrl());
        List<StoredRecord> gaps = reader.query(new AuditQuery(null, null, "audit.gap", null, null, 10));
        assertEquals(2, gaps.size());
        assertEquals(List.of(5L, 0L), gaps.stream().map(gap -> gap.details().get("first_offset").asLong()).toList());
        assertEquals(List.of(6L, 2L), gaps.stream().map(gap -> gap.details().get("last_offset").asLong()).toList());
        List<String> stored = reader.query(new AuditQuery(null, null, "task.accepted", null, null, 10)).stream()
                .map(StoredRecord::taskId).sorted().toList();
        assertEquals(List.of("tsk_3", "tsk_4", "tsk_7", "tsk_8"), stored);
        VerifyResult verified = new AuditVerifier(reader).verify();
        assertTrue(verified.ok(), verified.toString());
        assertEquals(6, verified.checked());
    }

    /** Produces the events for offsets {@code [from, to)} of a partition, each named after its offset. */
    private static void produce(Producer<byte[], byte[]> producer, TopicPartition partition, int from, int to) throws Exception {
        for (int offset = from; offset < to; offset++) {
            AuditEvent event = new AuditEvent("evt-" + offset, Instant.now(), "it", AuditAction.TASK_ACCEPTED, "allowed",
                    "agt_gap", "tsk_" + offset, "req_" + offset, null, Map.of());
            long written = producer.send(new ProducerRecord<>(partition.topic(), partition.partition(),
                    "agt_gap".getBytes(StandardCharsets.UTF_8), SERDE.toBytes(event))).get(30, TimeUnit.SECONDS).offset();
            assertEquals(offset, written, "the test names events after their offsets");
        }
    }

    private static void deleteBefore(Admin admin, TopicPartition partition, long offset) throws Exception {
        admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(offset))).all().get(30, TimeUnit.SECONDS);
    }

    private static long headSeq(AuditSinkConfig config) {
        return AuditReader.open(config.jdbcUrl()).headSeq();
    }
}
