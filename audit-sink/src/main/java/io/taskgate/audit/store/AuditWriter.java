package io.taskgate.audit.store;

import io.taskgate.audit.chain.ChainHash;
import io.taskgate.audit.chain.ChainHead;
import io.taskgate.audit.chain.RecordColumns;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Appends to the hash-chained audit trail in a JDBC database (SQLite by default, PostgreSQL in
 * production), and keeps the offsets it resumes from; {@link AuditReader} reads it.
 *
 * <p>One writer per database is assumed: one audit-sink process appends, any number of readers
 * query and verify. Each {@link #append} reads the head row and writes the new records, the new
 * head row and the per-partition next offsets in one transaction; on SQLite that transaction
 * holds the write lock from its start, and on PostgreSQL a second writer racing for the same seq
 * fails on the primary key and rolls back, so even a misconfigured second writer cannot fork the
 * chain.
 *
 * <p>One database holds the trail of one topic ({@link #requireTopic}): offsets of another topic
 * would collide with the stored ones, and records would be skipped as duplicates.
 */
public final class AuditWriter implements AutoCloseable {
    private static final String INSERT = "INSERT INTO audit_records (seq, kafka_partition, kafka_offset, event_id, at_us,"
            + " service, action, outcome, agent_id, task_id, request_id, record_json, prev_hash, hash, version)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String SAVE_HEAD = "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?)"
            + " ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash";
    private static final String SAVE_OFFSET = "INSERT INTO audit_offsets (topic, kafka_partition, next_offset) VALUES (?, ?, ?)"
            + " ON CONFLICT (topic, kafka_partition) DO UPDATE SET next_offset = CASE"
            + " WHEN excluded.next_offset > audit_offsets.next_offset THEN excluded.next_offset"
            + " ELSE audit_offsets.next_offset END";
    /** Well under SQLite's 999 bound parameters of older builds and PostgreSQL's 32,767. */
    private static final int EVENT_ID_LOOKUP_BATCH = 500;

    private final Database database;
    private Connection writer;

    private AuditWriter(Database database) {
        this.database = database;
    }

    /** Opens the audit database at this JDBC URL, creating its tables when they do not exist yet. */
    public static AuditWriter open(String jdbcUrl) {
        Database database = Database.forUrl(jdbcUrl);
        database.prepare();
        return new AuditWriter(database);
    }

    /** Fails unless this database is empty or holds the trail of {@code topic}. */
    public void requireTopic(String topic) {
        try (Connection connection = database.openReader();
             PreparedStatement select = connection.prepareStatement("SELECT DISTINCT topic FROM audit_offsets");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                String stored = rows.getString(1);
                if (!stored.equals(topic)) {
                    throw new AuditStoreException("the audit database holds the trail of topic " + stored + ", not " + topic
                            + "; point TASKGATE_AUDIT_JDBC_URL at a database of its own");
                }
            }
        } catch (SQLException e) {
            throw new AuditStoreException("cannot read the audit offsets: " + e.getMessage(), e);
        }
    }

    /**
     * Chains these records after the current head and records, per partition, the offset after
     * the last one, all in one transaction. A record whose partition and offset are already
     * stored is skipped, not chained twice. On failure nothing is stored.
     */
    public synchronized AppendResult append(String topic, List<SourceRecord> records) {
        return inTransaction("store " + records.size() + " audit records", connection -> appendIn(connection, topic, records));
    }

    /**
     * Chains a gap record saying that offsets {@code [firstOffset, endOffset)} of this partition
     * are gone from the topic unread, and moves the partition's next offset to {@code endOffset},
     * in one transaction. The gap record takes the position of the last lost offset, so that per
     * partition the next offset stays one past the newest stored record.
     */
    public synchronized AppendResult appendGap(String topic, int partition, long firstOffset, long endOffset, Instant at) {
        if (firstOffset < 0 || endOffset <= firstOffset) {
            throw new IllegalArgumentException("a gap spans at least one offset: [" + firstOffset + ", " + endOffset + ")");
        }
        return inTransaction("store the gap record of partition " + partition, connection -> {
            ChainHead head = head(connection);
            ChainHead newHead = chain(connection, head,
                    List.of(new Positioned(partition, endOffset - 1, CanonicalRecord.gap(partition, firstOffset, endOffset, at))));
            saveOffsets(connection, topic, Map.of(partition, endOffset));
            return new AppendResult(1, 0, 0, List.of(), newHead.seq());
        });
    }

    private <T> T inTransaction(String what, Work<T> work) {
        try {
            Connection connection = writer();
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                // sqlite-jdbc begins the next transaction as soon as one ends while auto-commit is off,
                // which would hold the write lock between batches.
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            closeWriter();
            throw new AuditStoreException("cannot " + what + ": " + e.getMessage(), e);
        }
    }

    private AppendResult appendIn(Connection connection, String topic, List<SourceRecord> records) throws SQLException {
        ChainHead head = head(connection);
        Set<Position> present = storedPositions(connection, records);
        Map<Integer, Long> nextOffsets = new TreeMap<>();
        List<Positioned> unseen = new ArrayList<>();
        for (SourceRecord source : records) {
            nextOffsets.merge(source.partition(), source.offset() + 1, Math::max);
            if (present.add(new Position(source.partition(), source.offset()))) {
                unseen.add(new Positioned(source.partition(), source.offset(), CanonicalRecord.of(source)));
            }
        }
        Set<String> storedEvents = storedEventIds(connection, unseen);
        List<Positioned> fresh = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        int invalid = 0;
        int resent = 0;
        for (Positioned positioned : unseen) {
            CanonicalRecord record = positioned.record();
            if (!storedEvents.add(record.columns().eventId())) {
                fresh.add(new Positioned(positioned.partition(), positioned.offset(),
                        CanonicalRecord.resent(positioned.partition(), positioned.offset(), record)));
                resent++;
                continue;
            }
            fresh.add(positioned);
            invalid += record.invalid() ? 1 : 0;
            dropped.addAll(record.droppedKeys());
        }
        int duplicates = records.size() - unseen.size() + resent;
        int stored = fresh.size() - resent;
        ChainHead newHead = chain(connection, head, fresh);
        saveOffsets(connection, topic, nextOffsets);
        return new AppendResult(stored, duplicates, invalid, dropped, newHead.seq());
    }

    /**
     * The head row. Only an empty chain may lack one: the row is written with every record, so a
     * chain without it was tampered with, and appending would write a new head over the evidence.
     */
    private static ChainHead head(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT seq, hash FROM audit_head WHERE id = 1");
             ResultSet head = select.executeQuery()) {
            if (head.next()) {
                return new ChainHead(head.getLong(1), head.getString(2));
            }
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT seq FROM audit_records LIMIT 1");
             ResultSet any = select.executeQuery()) {
            if (any.next()) {
                throw new AuditStoreException("the audit head record is missing while the chain holds records, so the"
                        + " database was tampered with; nothing is appended until it is restored (run taskgate audit verify)");
            }
        }
        return new ChainHead(0, ChainHash.GENESIS);
    }

    /** Inserts these records after {@code head}, in order, at chain version {@link ChainHash#CURRENT}, and moves the head row. */
    private static ChainHead chain(Connection connection, ChainHead head, List<Positioned> records) throws SQLException {
        if (records.isEmpty()) {
            return head;
        }
        long seq = head.seq();
        String prevHash = head.hash();
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (Positioned positioned : records) {
                seq++;
                CanonicalRecord record = positioned.record();
                String hash = ChainHash.of(seq, positioned.partition(), positioned.offset(), record.columns(), prevHash, record.json());
                bind(insert, seq, positioned, prevHash, hash);
                insert.addBatch();
                prevHash = hash;
            }
            insert.executeBatch();
        }
        try (PreparedStatement save = connection.prepareStatement(SAVE_HEAD)) {
            save.setLong(1, seq);
            save.setString(2, prevHash);
            save.executeUpdate();
        }
        return new ChainHead(seq, prevHash);
    }

    private static void saveOffsets(Connection connection, String topic, Map<Integer, Long> nextOffsets) throws SQLException {
        if (nextOffsets.isEmpty()) {
            return;
        }
        try (PreparedStatement save = connection.prepareStatement(SAVE_OFFSET)) {
            for (Map.Entry<Integer, Long> next : nextOffsets.entrySet()) {
                save.setString(1, topic);
                save.setInt(2, next.getKey());
                save.setLong(3, next.getValue());
                save.addBatch();
            }
            save.executeBatch();
        }
    }

    private static Set<Position> storedPositions(Connection connection, List<SourceRecord> records) throws SQLException {
        Map<Integer, long[]> ranges = new HashMap<>();
        for (SourceRecord record : records) {
            ranges.merge(record.partition(), new long[] {record.offset(), record.offset()},
                    (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
        }
        Set<Position> present = new HashSet<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT kafka_offset FROM audit_records WHERE kafka_partition = ? AND kafka_offset BETWEEN ? AND ?")) {
            for (Map.Entry<Integer, long[]> range : ranges.entrySet()) {
                select.setInt(1, range.getKey());
                select.setLong(2, range.getValue()[0]);
                select.setLong(3, range.getValue()[1]);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        present.add(new Position(range.getKey(), rows.getLong(1)));
                    }
                }
            }
        }
        return present;
    }

    /**
     * The event ids among these records that are already stored. A service resends an audit event
     * Kafka did not acknowledge, and a broker that wrote it before dying holds it twice, at two
     * offsets: the trail keeps the first, and a marker at the second's place. An invalid record's
     * id names its own position, so it is never taken for another.
     */
    private static Set<String> storedEventIds(Connection connection, List<Positioned> records) throws SQLException {
        Set<String> stored = new HashSet<>();
        for (int from = 0; from < records.size(); from += EVENT_ID_LOOKUP_BATCH) {
            List<Positioned> batch = records.subList(from, Math.min(records.size(), from + EVENT_ID_LOOKUP_BATCH));
            String marks = String.join(", ", Collections.nCopies(batch.size(), "?"));
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT event_id FROM audit_records WHERE event_id IN (" + marks + ")")) {
                for (int i = 0; i < batch.size(); i++) {
                    select.setString(i + 1, batch.get(i).record().columns().eventId());
                }
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        stored.add(rows.getString(1));
                    }
                }
            }
        }
        return stored;
    }

    private static void bind(PreparedStatement insert, long seq, Positioned positioned, String prevHash, String hash)
            throws SQLException {
        RecordColumns columns = positioned.record().columns();
        insert.setLong(1, seq);
        insert.setInt(2, positioned.partition());
        insert.setLong(3, positioned.offset());
        insert.setString(4, columns.eventId());
        insert.setLong(5, columns.atMicros());
        insert.setString(6, columns.service());
        insert.setString(7, columns.action());
        setNullable(insert, 8, columns.outcome());
        setNullable(insert, 9, columns.agentId());
        setNullable(insert, 10, columns.taskId());
        setNullable(insert, 11, columns.requestId());
        insert.setString(12, positioned.record().json());
        insert.setString(13, prevHash);
        insert.setString(14, hash);
        insert.setInt(15, ChainHash.CURRENT);
    }

    private static void setNullable(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }

    /** Per partition of {@code topic}, the next offset to read: one past the last one stored. */
    public Map<Integer, Long> nextOffsets(String topic) {
        try (Connection connection = database.openReader();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT kafka_partition, next_offset FROM audit_offsets WHERE topic = ?")) {
            select.setString(1, topic);
            Map<Integer, Long> offsets = new TreeMap<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    offsets.put(rows.getInt(1), rows.getLong(2));
                }
            }
            return offsets;
        } catch (SQLException e) {
            throw new AuditStoreException("cannot read the audit offsets: " + e.getMessage(), e);
        }
    }

    private Connection writer() throws SQLException {
        if (writer == null) {
            writer = database.openWriter();
        }
        return writer;
    }

    private void closeWriter() {
        if (writer != null) {
            try {
                writer.close();
            } catch (SQLException e) {
                // The connection is being dropped because it failed; a failure to close it adds nothing.
            }
            writer = null;
        }
    }

    @Override
    public synchronized void close() {
        closeWriter();
    }

    private record Position(int partition, long offset) {
    }

    /** A record about to be chained, with the Kafka position it is stored under. */
    private record Positioned(int partition, long offset, CanonicalRecord record) {
    }

    /** Work inside the writer's transaction. */
    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }
}
