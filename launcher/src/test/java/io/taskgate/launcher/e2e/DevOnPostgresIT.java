package io.taskgate.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.launcher.dev.DevEnvironment;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.ops.Metrics;
import io.taskgate.testing.Await;
import io.taskgate.testing.HttpDriver;
import io.taskgate.testing.LocalPostgres;
import io.taskgate.testing.HttpDriver.Response;
import io.taskgate.testing.TestKafka;
import io.taskgate.testing.WithKafka;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code taskgate dev --postgres URL}: the walkthrough's audit trail lands in the local PostgreSQL
 * server, where a query (not the API alone) finds it, and nothing is written to SQLite.
 */
@WithKafka
class DevOnPostgresIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    static Path dataDir;

    static String schema;
    static String jdbcUrl;
    static DevEnvironment dev;

    @BeforeAll
    static void startOnPostgres(TestKafka kafka) {
        LocalPostgres.require();
        schema = LocalPostgres.newSchemaName("dev_audit");
        jdbcUrl = LocalPostgres.freshSchemaUrl(schema);
        // The tests' shared broker: dev would otherwise start one on 9092 when free, which other runs may need.
        ConfigSource config = ConfigSource.of(Map.of(
                Setting.KAFKA_BOOTSTRAP, kafka.bootstrapServers(),
                Setting.TOPIC_PREFIX, kafka.topics().prefix(),
                Setting.DATA_DIR, dataDir.toString(),
                Setting.PORT, "0",
                Setting.AUDIT_PORT, "0",
                Setting.AUDIT_JDBC_URL, jdbcUrl));
        dev = DevEnvironment.start(config, Metrics.newRegistry("test"), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        if (dev != null) {
            dev.close();
        }
        if (schema != null) {
            LocalPostgres.dropSchema(schema);
        }
    }

    @Test
    void shouldStoreTheAuditTrailOfATaskInPostgres() throws SQLException {
        HttpDriver http = new HttpDriver(dev.ingressUrl());
        String admin = dev.adminToken();
        String agentId = http.createAgent(admin, "{\"name\": \"pg-bot\", \"tools\": [\"echo\"], \"actions\": [\"*\"]}");
        String token = http.mintToken(admin, agentId, "{\"tools\": [\"echo\"], \"actions\": [\"*\"], \"expires_in\": 3600}");

        Response answered = http.postTask(token, "echo.run", "{\"input\": \"to postgres\"}", "Prefer", "wait=20");
        assertEquals("succeeded", answered.json().path("status").asText(), answered::toString);
        String taskId = answered.json().get("task_id").asText();

        long stored = Await.value("the task's success in PostgreSQL's audit_records",
                () -> rowsFor(taskId, "task.succeeded"), count -> count > 0, DEADLINE);
        assertEquals(1, stored);
        assertTrue(rowsFor(taskId, "task.accepted") == 1, "task.accepted stored once");
        assertTrue(!dataDir.resolve("audit.db").toFile().exists(), "audit.db written although PostgreSQL was configured");
    }

    private static long rowsFor(String taskId, String action) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
             PreparedStatement query = connection.prepareStatement(
                     "SELECT count(*) FROM audit_records WHERE task_id = ? AND action = ?")) {
            query.setString(1, taskId);
            query.setString(2, action);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
