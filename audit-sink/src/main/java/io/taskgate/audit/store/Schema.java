package io.taskgate.audit.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The audit tables, the same DDL on SQLite and PostgreSQL. {@code audit_records} is the chain:
 * {@code seq} is its order, {@code (kafka_partition, kafka_offset)} is unique so a Kafka record is
 * stored once. {@code audit_offsets} holds, per partition, the next offset to read; it is written
 * in the same transaction as the records, which is what makes consumption exactly-once.
 * {@code at_us} (microseconds since the epoch) exists for time filters; the exact time is in the JSON.
 */
final class Schema {
    private static final List<String> DDL = List.of(
            """
            CREATE TABLE IF NOT EXISTS audit_records (
                seq BIGINT NOT NULL PRIMARY KEY,
                kafka_partition INTEGER NOT NULL,
                kafka_offset BIGINT NOT NULL,
                event_id TEXT NOT NULL,
                at_us BIGINT NOT NULL,
                service TEXT NOT NULL,
                action TEXT NOT NULL,
                outcome TEXT,
                agent_id TEXT,
                task_id TEXT,
                request_id TEXT,
                record_json TEXT NOT NULL,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL,
                CONSTRAINT audit_records_position UNIQUE (kafka_partition, kafka_offset)
            )""",
            "CREATE INDEX IF NOT EXISTS audit_records_at ON audit_records (at_us)",
            "CREATE INDEX IF NOT EXISTS audit_records_agent ON audit_records (agent_id, at_us)",
            "CREATE INDEX IF NOT EXISTS audit_records_task ON audit_records (task_id, at_us)",
            "CREATE INDEX IF NOT EXISTS audit_records_action ON audit_records (action, at_us)",
            """
            CREATE TABLE IF NOT EXISTS audit_offsets (
                topic TEXT NOT NULL,
                kafka_partition INTEGER NOT NULL,
                next_offset BIGINT NOT NULL,
                PRIMARY KEY (topic, kafka_partition)
            )""");

    private Schema() {
    }

    static void ensure(Connection writer) throws SQLException {
        try (Statement statement = writer.createStatement()) {
            for (String ddl : DDL) {
                statement.execute(ddl);
            }
        }
    }
}
