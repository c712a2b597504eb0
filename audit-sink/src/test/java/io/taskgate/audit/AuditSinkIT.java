package io.taskgate.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskgate.audit.chain.AuditVerifier;
import io.taskgate.audit.chain.VerifyResult;
import io.taskgate.audit.store.AuditReader;
import io.taskgate.platform.audit.AuditLog;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.kafka.KafkaSender;
import io.taskgate.platform.ops.Metrics;
import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.schemas.audit.AuditEvent;
import io.taskgate.schemas.json.Json;
import io.taskgate.schemas.json.JsonSerde;
import io.undertow.Undertow;
import io.taskgate.testing.Await;
import io.taskgate.testing.TestKafka;
import io.taskgate.testing.WithKafka;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@WithKafka
class AuditSinkIT {
    private static final String TOKEN = "it-admin-token-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int FIRST_BATCH = 10;


    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldStoreEveryEventOnceAcrossARestartAndServeThemNewestFirst(TestKafka kafka) throws Exception {
        String prefix = kafka.topics().prefix();
        AuditSinkConfig config = AuditSinkConfig.from(ConfigSource.of(Map.of(
                Setting.KAFKA_BOOTSTRAP, kafka.bootstrapServers(),
                Setting.TOPIC_PREFIX, prefix,
                Setting.ADMIN_TOKEN, TOKEN,
                Setting.DATA_DIR, dir.toString())));
        KafkaClients clients = new KafkaClients(config.kafka());
        String topic = config.kafka().topics().audit().name();
        int partitions = config.kafka().topics().audit().partitions();
        try (Admin admin = clients.newAdmin("it-admin")) {

            try (KafkaSender sender = new KafkaSender(clients.newProducer("it-audit-log"))) {
                AuditLog log = new AuditLog(sender, config.kafka().topics(), "it", Executors.newSingleThreadScheduledExecutor(), Clock.systemUTC(),
                        new SimpleMeterRegistry());
                for (int i = 0; i < FIRST_BATCH; i++) {
                    log.entry(AuditAction.TASK_ACCEPTED).agent("agt_" + i).task("tsk_" + i).request("req_" + i)
                            .outcome("allowed").details(Map.of("n", i, "token", "must-not-be-stored")).publish();
                }
                sender.flush();
            }

            PrometheusMeterRegistry firstMetrics = Metrics.newRegistry("it");
            try (AuditSinkService sink = AuditSinkService.start(config, clients, firstMetrics, Clock.systemUTC())) {
                Await.until("first batch stored", () -> count("SELECT COUNT(*) FROM audit_records", config) == FIRST_BATCH, WAIT);
                Await.until("sink ready", sink::isReady, WAIT);
            }
            assertEquals(0.0, firstMetrics.get("taskgate_audit_records_duplicate").counter().count());

            // Without Kafka's committed offsets only the offsets in the database can keep the restarted
            // sink from reading everything again.
            Await.until("consumer group deleted", () -> deleteGroup(admin, config.consumerGroup()), WAIT);

            // One new record at the end of every partition: once all are stored, every partition was
            // read to its end, so any record read twice would have been counted by then.
            Instant later = Instant.now().plusSeconds(60);
            try (Producer<byte[], byte[]> producer = clients.newProducer("it-raw")) {
                for (int partition = 0; partition < partitions; partition++) {
                    AuditEvent event = new AuditEvent("late-" + partition, later.plusMillis(partition), "it",
                            AuditAction.TASK_SUCCEEDED, "ok", "agt_late", "tsk_late_" + partition, "req_late", null, Map.of());
                    producer.send(new ProducerRecord<>(topic, partition, "agt_late".getBytes(StandardCharsets.UTF_8),
                            new JsonSerde<>(AuditEvent.class).toBytes(event))).get(30, TimeUnit.SECONDS);
                }
            }

            PrometheusMeterRegistry secondMetrics = Metrics.newRegistry("it");
            int total = FIRST_BATCH + partitions;
            try (AuditSinkService sink = AuditSinkService.start(config, clients, secondMetrics, Clock.systemUTC())) {
                Await.until("second batch stored", () -> count("SELECT COUNT(*) FROM audit_records", config) == total, WAIT);

                assertEquals(0.0, secondMetrics.get("taskgate_audit_records_duplicate").counter().count(), "nothing read twice");
                assertEquals(total, count("SELECT COUNT(DISTINCT event_id) FROM audit_records", config));
                assertEquals(0, count("SELECT COUNT(*) FROM audit_records WHERE record_json LIKE '%must-not-be-stored%'", config));
                assertEquals(total, secondMetrics.get("taskgate_audit_chain_head_seq").gauge().value());

                VerifyResult verified = new AuditVerifier(AuditReader.open(config.jdbcUrl())).verify();
                assertTrue(verified.ok(), verified.toString());
                assertEquals(total, verified.checked());

                Undertow server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(sink.routes()).build();
                server.start();
                try {
                    int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
                    HttpResponse<String> ok = get(port, "?limit=1000", TOKEN);
                    HttpResponse<String> refused = get(port, "", TOKEN + "-wrong");

                    assertEquals(200, ok.statusCode());
                    JsonNode records = Json.mapper().readTree(ok.body()).get("records");
                    assertEquals(total, records.size());
                    List<Instant> times = new ArrayList<>();
                    records.forEach(record -> times.add(Instant.parse(record.get("at").asText())));
                    for (int i = 1; i < times.size(); i++) {
                        assertFalse(times.get(i).isAfter(times.get(i - 1)), "newest first: " + times);
                    }
                    assertEquals("task.succeeded", records.get(0).get("type").asText());
                    assertEquals("tsk_late_" + (partitions - 1), records.get(0).get("task_id").asText());
                    assertEquals(401, refused.statusCode());
                    assertEquals("UNAUTHORIZED", Json.mapper().readTree(refused.body()).get("error").get("codeName").asText());
                } finally {
                    server.stop();
                }
            }
        }
    }

    private HttpResponse<String> get(int port, String query, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/audit" + query))
                .header("Authorization", "Bearer " + token).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static boolean deleteGroup(Admin admin, String group) {
        try {
            admin.deleteConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static long count(String sql, AuditSinkConfig config) {
        try (Connection connection = DriverManager.getConnection(config.jdbcUrl());
             Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
