package io.taskgate.audit.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.taskgate.audit.chain.ChainHead;
import io.taskgate.audit.chain.ChainLink;
import io.taskgate.audit.chain.ChainSource;
import io.taskgate.audit.chain.ChainState;
import io.taskgate.audit.chain.RecordColumns;
import io.taskgate.schemas.json.Json;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Reads the hash-chained audit trail: the head, queries for the API, and the whole chain in order
 * for verification. Each read opens its own connection, so any number of readers run beside the
 * one {@link AuditWriter}.
 */
public final class AuditReader implements ChainSource {
    private static final int READ_FETCH_SIZE = 500;

    private final Database database;

    private AuditReader(Database database) {
        this.database = database;
    }

    /** Opens the audit database at this JDBC URL, creating its tables when they do not exist yet. */
    public static AuditReader open(String jdbcUrl) {
        Database database = Database.forUrl(jdbcUrl);
        database.prepare();
        return new AuditReader(database);
    }

    /** Seq of the newest record, 0 when the trail is empty. */
    public long headSeq() {
        try (Connection connection = database.openReader();
             PreparedStatement select = connection.prepareStatement("SELECT MAX(seq) FROM audit_records");
             ResultSet rows = select.executeQuery()) {
            return rows.next() ? rows.getLong(1) : 0;
        } catch (SQLException e) {
            throw new AuditStoreException("cannot read the audit chain head: " + e.getMessage(), e);
        }
    }

    /** Records matching the query, newest first (by time, then by seq). */
    public List<StoredRecord> query(AuditQuery query) {
        StringBuilder sql = new StringBuilder("SELECT seq, at_us, service, action, outcome, agent_id, task_id, request_id,"
                + " record_json, hash FROM audit_records WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        filter(sql, parameters, " AND agent_id = ?", query.agentId());
        filter(sql, parameters, " AND task_id = ?", query.taskId());
        filter(sql, parameters, " AND action = ?", query.type());
        filter(sql, parameters, " AND at_us >= ?", query.since() == null ? null : micros(query.since()));
        filter(sql, parameters, " AND at_us < ?", query.until() == null ? null : micros(query.until()));
        sql.append(" ORDER BY at_us DESC, seq DESC LIMIT ?");
        parameters.add(query.limit());
        try (Connection connection = database.openReader();
             PreparedStatement select = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < parameters.size(); i++) {
                select.setObject(i + 1, parameters.get(i));
            }
            List<StoredRecord> found = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    found.add(new StoredRecord(rows.getLong(1), Instant.EPOCH.plus(rows.getLong(2), ChronoUnit.MICROS),
                            rows.getString(3), rows.getString(4), rows.getString(5), rows.getString(6), rows.getString(7),
                            rows.getString(8), details(rows.getString(9)), rows.getString(10)));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new AuditStoreException("cannot query the audit trail: " + e.getMessage(), e);
        }
    }

    private static void filter(StringBuilder sql, List<Object> parameters, String condition, Object value) {
        if (value != null) {
            sql.append(condition);
            parameters.add(value);
        }
    }

    /** Microseconds since the epoch, saturated: a bound beyond the representable range matches everything on its side. */
    private static long micros(Instant instant) {
        try {
            return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
        } catch (ArithmeticException e) {
            return instant.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static JsonNode details(String recordJson) {
        try {
            JsonNode details = Json.mapper().readTree(recordJson).get("details");
            return details == null ? JsonNodeFactory.instance.objectNode() : details;
        } catch (IOException e) {
            throw new AuditStoreException("a stored record is not JSON; run taskgate audit verify", e);
        }
    }

    @Override
    public ChainState read(Predicate<ChainLink> visitor) {
        try (Connection connection = database.openReader()) {
            // One transaction, so head, offsets and records are one snapshot: on SQLite (WAL) a read
            // transaction sees the database as of its first read, on PostgreSQL REPEATABLE READ does.
            // PostgreSQL also streams a result set only inside a transaction; otherwise it loads all of it.
            connection.setAutoCommit(false);
            if (database.postgres()) {
                connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            }
            try {
                Optional<ChainHead> head = storedHead(connection);
                Map<Integer, Long> consumed = consumedOffsets(connection);
                readLinks(connection, visitor);
                return new ChainState(head, consumed);
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new AuditStoreException("cannot read the audit chain: " + e.getMessage(), e);
        }
    }

    private static Optional<ChainHead> storedHead(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT seq, hash FROM audit_head WHERE id = 1");
             ResultSet rows = select.executeQuery()) {
            return rows.next() ? Optional.of(new ChainHead(rows.getLong(1), rows.getString(2))) : Optional.empty();
        }
    }

    private static Map<Integer, Long> consumedOffsets(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT kafka_partition, MAX(next_offset) FROM audit_offsets GROUP BY kafka_partition");
             ResultSet rows = select.executeQuery()) {
            Map<Integer, Long> consumed = new HashMap<>();
            while (rows.next()) {
                consumed.put(rows.getInt(1), rows.getLong(2));
            }
            return consumed;
        }
    }

    private static void readLinks(Connection connection, Predicate<ChainLink> visitor) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT seq, kafka_partition, kafka_offset, event_id, at_us,"
                + " service, action, outcome, agent_id, task_id, request_id, record_json, version, prev_hash, hash"
                + " FROM audit_records ORDER BY seq")) {
            select.setFetchSize(READ_FETCH_SIZE);
            try (ResultSet rows = select.executeQuery()) {
                boolean more = true;
                while (more && rows.next()) {
                    RecordColumns columns = new RecordColumns(rows.getString(4), rows.getLong(5), rows.getString(6),
                            rows.getString(7), rows.getString(8), rows.getString(9), rows.getString(10), rows.getString(11));
                    more = visitor.test(new ChainLink(rows.getLong(1), rows.getInt(2), rows.getLong(3), columns,
                            rows.getString(12), rows.getInt(13), rows.getString(14), rows.getString(15)));
                }
            }
        }
    }
}
