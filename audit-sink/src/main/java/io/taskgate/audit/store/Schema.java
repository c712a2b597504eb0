package io.taskgate.audit.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The audit tables, the same DDL on SQLite and PostgreSQL. {@code audit_records} is the chain:
 * {@code seq} is its order, {@code (kafka_partition, kafka_offset)} is unique so a Kafka record is
 * stored once (and an event id too, {@code AuditWriter}), {@code version} names the hash formula of the record ({@code ChainHash}).
 * {@code audit_offsets} holds, per partition, the next offset to read, and {@code audit_head} the
 * seq and hash of the newest record; both are written in the same transaction as the records,
 * which makes consumption exactly-once and lets the verifier see records cut off the end.
 * {@code at_us} (microseconds since the epoch) exists for time filters; the exact time is in the JSON.
 *
 * <p>A database from before chain version 2 is migrated in place on open: its records keep their
 * version 1 hashes ({@code version} defaults to 1 for them), and its head row is taken from its
 * newest record, once, when the head table is created.
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
                version INTEGER NOT NULL DEFAULT 1,
                CONSTRAINT audit_records_position UNIQUE (kafka_partition, kafka_offset)
            )""",
            "CREATE INDEX IF NOT EXISTS audit_records_at ON audit_records (at_us)",
            "CREATE INDEX IF NOT EXISTS audit_records_agent ON audit_records (agent_id, at_us)",
            "CREATE INDEX IF NOT EXISTS audit_records_task ON audit_records (task_id, at_us)",
            "CREATE INDEX IF NOT EXISTS audit_records_action ON audit_records (action, at_us)",
            "CREATE INDEX IF NOT EXISTS audit_records_event ON audit_records (event_id)",
            """
            CREATE TABLE IF NOT EXISTS audit_offsets (
                topic TEXT NOT NULL,
                kafka_partition INTEGER NOT NULL,
                next_offset BIGINT NOT NULL,
                PRIMARY KEY (topic, kafka_partition)
            )""");
    private static final String HEAD_DDL = """
            CREATE TABLE audit_head (
                id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
                seq BIGINT NOT NULL,
                hash TEXT NOT NULL
            )""";

    private Schema() {
    }

    static void ensure(Connection writer) throws SQLException {
        try (Statement statement = writer.createStatement()) {
            for (String ddl : DDL) {
                statement.execute(ddl);
            }
            if (!answers(writer, "SELECT version FROM audit_records WHERE 1 = 0")) {
                statement.execute("ALTER TABLE audit_records ADD COLUMN version INTEGER NOT NULL DEFAULT 1");
            }
            if (!answers(writer, "SELECT seq FROM audit_head WHERE 1 = 0")) {
                try {
                    createHead(writer);
                } catch (SQLException e) {
                    // Another process opening the database at the same time may have created it first.
                    if (!answers(writer, "SELECT seq FROM audit_head WHERE 1 = 0")) {
                        throw e;
                    }
                }
            }
        }
    }

    /**
     * Creates the head table with the newest record as its row, in one transaction: a head row
     * deleted later is never filled in again from the records, because that would hide the
     * records deleted with it.
     */
    private static void createHead(Connection writer) throws SQLException {
        writer.setAutoCommit(false);
        try (Statement statement = writer.createStatement()) {
            statement.execute(HEAD_DDL);
            statement.execute("INSERT INTO audit_head (id, seq, hash)"
                    + " SELECT 1, seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1");
            writer.commit();
        } catch (SQLException e) {
            writer.rollback();
            throw e;
        } finally {
            writer.setAutoCommit(true);
        }
    }

    /** Whether this query runs; it names a table or column that may not exist yet. */
    private static boolean answers(Connection connection, String probe) {
        try (Statement statement = connection.createStatement()) {
            statement.executeQuery(probe).close();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }
}
