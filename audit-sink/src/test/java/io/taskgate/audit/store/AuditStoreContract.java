package io.taskgate.audit.store;

import static io.taskgate.audit.AuditEvents.event;
import static io.taskgate.audit.AuditEvents.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskgate.audit.chain.AuditVerifier;
import io.taskgate.audit.chain.ChainAnchor;
import io.taskgate.audit.chain.ChainHash;
import io.taskgate.audit.chain.RecordColumns;
import io.taskgate.audit.chain.VerifyResult;
import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.schemas.audit.AuditEvent;
import io.taskgate.schemas.json.Json;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The behaviour every audit database must show; run against SQLite and, when reachable, PostgreSQL. */
abstract class AuditStoreContract {
    static final String TOPIC = "t.audit";
    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    AuditWriter store;
    AuditReader reader;

    /** The URL of a fresh, empty database for this test; the same on every call within the test. */
    abstract String jdbcUrl();

    @BeforeEach
    void openStore() {
        store = AuditWriter.open(jdbcUrl());
        reader = AuditReader.open(jdbcUrl());
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void shouldVerifyAnEmptyChain() {
        VerifyResult result = new AuditVerifier(reader).verify();

        assertTrue(result.ok(), result.toString());
        assertEquals(0, result.checked());
        assertEquals(ChainHash.GENESIS, result.headHash());
    }

    @Test
    void shouldVerifyAppendedChain() {
        AppendResult first = append(record(0, T0), record(1, T0.plusSeconds(1)));
        AppendResult second = append(record(2, T0.plusSeconds(2)), record(3, T0.plusSeconds(3)), record(4, T0.plusSeconds(4)));

        VerifyResult result = new AuditVerifier(reader).verify();

        assertEquals(2, first.stored());
        assertEquals(5, second.headSeq());
        assertTrue(result.ok(), result.toString());
        assertEquals(5, result.checked());
        assertEquals(5, result.headSeq());
        assertEquals(column(5, "hash"), result.headHash());
        assertEquals(ChainHash.GENESIS, column(1, "prev_hash"));
        assertEquals(column(4, "hash"), column(5, "prev_hash"));
    }

    @Test
    void shouldNameTheRecordWhoseJsonWasAltered() {
        appendFive();
        execute("UPDATE audit_records SET record_json = ? WHERE seq = 3", column(3, "record_json").replace("allowed", "denied"));

        VerifyResult result = new AuditVerifier(reader).verify();

        assertFalse(result.ok());
        assertEquals("record 3 was altered (hash mismatch)", result.problem().orElseThrow());
        assertEquals(VerifyResult.Kind.ALTERED, result.kind().orElseThrow());
        assertEquals(3, result.badSeq().getAsLong());
        assertEquals(2, result.checked());
    }

    @Test
    void shouldNameTheRecordThatNoLongerChainsWhenItsPredecessorWasForgedWithARecomputedHash() throws Exception {
        appendFive();
        String forged = column(3, "record_json").replace("allowed", "denied");
        RecordColumns columns = RecordColumns.of((ObjectNode) Json.mapper().readTree(forged));
        String forgedHash = ChainHash.of(3, 0, 2, columns, column(3, "prev_hash"), forged);
        execute("UPDATE audit_records SET record_json = ?, outcome = ?, hash = ? WHERE seq = 3", forged, "denied", forgedHash);

        VerifyResult result = new AuditVerifier(reader).verify();

        assertEquals("record 4 was altered (prev_hash mismatch: it does not chain to record 3)", result.problem().orElseThrow());
        assertEquals(4, result.badSeq().getAsLong());
    }

    /** Each column /api/audit filters or sorts on, and the others: editing one hides or moves a record in queries. */
    @ParameterizedTest
    @CsvSource({"agent_id, agt_x", "task_id, tsk_x", "action, task.failed", "outcome, denied", "at_us, 1",
            "service, workers", "request_id, req_x", "event_id, evt_x"})
    void shouldFindAnUpdatedColumn(String name, String value) {
        appendFive();
        execute("UPDATE audit_records SET " + name + " = ? WHERE seq = 3", name.equals("at_us") ? (Object) Long.parseLong(value) : value);

        VerifyResult result = new AuditVerifier(reader).verify();

        assertEquals("record 3 was altered (hash mismatch)", result.problem().orElseThrow());
        assertEquals(VerifyResult.Kind.ALTERED, result.kind().orElseThrow());
    }

    @Test
    void shouldFindAColumnSetToNull() {
        appendFive();
        execute("UPDATE audit_records SET agent_id = NULL WHERE seq = 2");

        assertEquals("record 2 was altered (hash mismatch)", new AuditVerifier(reader).verify().problem().orElseThrow());
    }

    @Test
    void shouldFindARecordSetBackToTheFirstChainVersion() {
        appendFive();
        execute("UPDATE audit_records SET version = 1 WHERE seq = 3");

        assertEquals("record 3 was altered (chain version 1 after version 2)",
                new AuditVerifier(reader).verify().problem().orElseThrow());
    }

    @Test
    void shouldNameAMissingMiddleRecord() {
        appendFive();
        execute("DELETE FROM audit_records WHERE seq = 3");

        VerifyResult result = new AuditVerifier(reader).verify();

        assertEquals("record 3 is missing (seq jumps from 2 to 4)", result.problem().orElseThrow());
        assertEquals(VerifyResult.Kind.MISSING, result.kind().orElseThrow());
        assertEquals(3, result.badSeq().getAsLong());
    }

    @Test
    void shouldNameAMissingFirstRecord() {
        appendFive();
        execute("DELETE FROM audit_records WHERE seq = 1");

        VerifyResult result = new AuditVerifier(reader).verify();

        assertEquals("record 1 is missing (chain starts at seq 2)", result.problem().orElseThrow());
    }

    @Test
    void shouldFindRecordsCutOffTheEndWithoutAnAnchor() {
        appendFive();
        execute("DELETE FROM audit_records WHERE seq >= 4");

        VerifyResult result = new AuditVerifier(reader).verify();

        assertEquals("records 4 to 5 are missing from the end (the chain ends at seq 3, its head record is at seq 5)",
                result.problem().orElseThrow());
        assertEquals(VerifyResult.Kind.MISSING, result.kind().orElseThrow());
        assertEquals(4, result.badSeq().getAsLong());
        assertEquals(3, result.checked());
    }

    @Test
    void shouldFindRecordsCutOffTheEndWithTheHeadRewrittenAgainstTheConsumedOffsets() {
        appendFive();
        execute("DELETE FROM audit_records WHERE seq = 5");
        execute("UPDATE audit_head SET seq = 4, hash = ?", column(4, "hash"));

        VerifyResult result = new AuditVerifier(reader).verify();

        assertEquals("records of partition 0 are missing from the end (the sink consumed it up to offset 4,"
                + " the newest stored is at offset 3)", result.problem().orElseThrow());
        assertEquals(VerifyResult.Kind.MISSING, result.kind().orElseThrow());
    }

    @Test
    void shouldFindADeletedHeadRecordAndAppendNothingAfterIt() {
        appendFive();
        execute("DELETE FROM audit_head");

        VerifyResult result = new AuditVerifier(reader).verify();
        AuditStoreException refused = assertThrows(AuditStoreException.class, () -> append(record(5, T0)));

        assertTrue(result.problem().orElseThrow().startsWith("the head record is missing (the chain ends at seq 5"), result.toString());
        assertTrue(refused.getMessage().contains("head record is missing"), refused.getMessage());
        assertEquals(5, count("SELECT COUNT(*) FROM audit_records"));
    }

    @Test
    void shouldFindAHeadRecordThatDisagreesWithTheChain() {
        appendFive();
        execute("UPDATE audit_head SET hash = ?", "f".repeat(64));
        VerifyResult otherHash = new AuditVerifier(reader).verify();
        execute("UPDATE audit_head SET seq = 3, hash = ?", column(3, "hash"));
        VerifyResult behind = new AuditVerifier(reader).verify();

        assertEquals("the head record was altered (its hash differs from that of record 5)", otherHash.problem().orElseThrow());
        assertEquals("the head record was altered (it is at seq 3, the chain ends at seq 5)", behind.problem().orElseThrow());
        assertTrue(behind.badSeq().isEmpty(), "no single record is bad");
    }

    @Test
    void shouldFindAConsumedOffsetMovedBehindTheStoredRecords() {
        appendFive();
        execute("UPDATE audit_offsets SET next_offset = 2");

        assertEquals("the consumed offset of partition 0 was altered (it is 2, but a record at offset 4 is stored)",
                new AuditVerifier(reader).verify().problem().orElseThrow());
    }

    /**
     * The limit of a hash without a secret: records, head row and consumed offsets all cut back
     * consistently form a valid shorter chain. Only a head noted outside the database shows it.
     */
    @Test
    void shouldFindAConsistentTruncationOnlyAgainstAnAnchor() {
        appendFive();
        ChainAnchor anchor = new ChainAnchor(5, column(5, "hash"));
        execute("DELETE FROM audit_records WHERE seq = 5");
        execute("UPDATE audit_head SET seq = 4, hash = ?", column(4, "hash"));
        execute("UPDATE audit_offsets SET next_offset = 4");

        VerifyResult alone = new AuditVerifier(reader).verify();
        VerifyResult anchored = new AuditVerifier(reader).verify(anchor);

        assertTrue(alone.ok(), alone.toString());
        assertEquals("record 5 is missing (chain ends at seq 4, anchor is at seq 5)", anchored.problem().orElseThrow());
    }

    @Test
    void shouldChainAGapRecordAndReadOnAfterIt() {
        append(record(0, T0), record(1, T0.plusSeconds(1)));

        AppendResult gap = store.appendGap(TOPIC, 0, 2, 7, T0.plusSeconds(60));
        append(record(7, T0.plusSeconds(61)));

        assertEquals(3, gap.headSeq());
        assertEquals(Map.of(0, 8L), store.nextOffsets(TOPIC));
        List<StoredRecord> gaps = reader.query(new AuditQuery(null, null, "audit.gap", null, null, 10));
        assertEquals(1, gaps.size());
        assertEquals("lost", gaps.get(0).outcome());
        assertEquals(T0.plusSeconds(60), gaps.get(0).at());
        assertEquals(2, gaps.get(0).details().get("first_offset").asLong());
        assertEquals(6, gaps.get(0).details().get("last_offset").asLong());
        assertEquals(5, gaps.get(0).details().get("lost").asLong());
        assertEquals("6", column(3, "kafka_offset"));
        VerifyResult verified = new AuditVerifier(reader).verify();
        assertTrue(verified.ok(), verified.toString());
        assertEquals(4, verified.checked());
    }

    /**
     * A database written by the first release: no version column, no head row, hashes of chain
     * version 1. It is migrated on open, still verifies, takes version 2 records after its own,
     * and an edited column of an old record is still found, against the record's JSON.
     */
    @Test
    void shouldVerifyAndExtendATrailOfTheFirstRelease() {
        appendFive();
        downgradeToTheFirstRelease();
        store.close();
        store = AuditWriter.open(jdbcUrl());

        VerifyResult migrated = new AuditVerifier(AuditReader.open(jdbcUrl())).verify();
        append(record(5, T0.plusSeconds(5)));
        VerifyResult extended = new AuditVerifier(reader).verify();
        execute("UPDATE audit_records SET agent_id = 'agt_x' WHERE seq = 2");
        VerifyResult edited = new AuditVerifier(reader).verify();

        assertTrue(migrated.ok(), migrated.toString());
        assertEquals(5, migrated.checked());
        assertTrue(extended.ok(), extended.toString());
        assertEquals("2", column(6, "version"));
        assertEquals("record 2 was altered (its columns differ from its JSON)", edited.problem().orElseThrow());
    }

    private void downgradeToTheFirstRelease() {
        String prev = ChainHash.GENESIS;
        for (long seq = 1; seq <= 5; seq++) {
            String hash = ChainHash.v1(seq, 0, seq - 1, prev, column(seq, "record_json"));
            execute("UPDATE audit_records SET prev_hash = ?, hash = ? WHERE seq = ?", prev, hash, seq);
            prev = hash;
        }
        execute("ALTER TABLE audit_records DROP COLUMN version");
        execute("DROP TABLE audit_head");
    }

    @Test
    void shouldNameARecordThatDiffersFromTheAnchor() {
        appendFive();

        VerifyResult result = new AuditVerifier(reader).verify(new ChainAnchor(2, "f".repeat(64)));

        assertEquals("record 2 was altered (hash differs from the anchor)", result.problem().orElseThrow());
    }

    @Test
    void shouldStoreARecordOnceWhenItsPartitionAndOffsetComeAgain() {
        append(record(0, T0), record(1, T0.plusSeconds(1)));

        AppendResult replay = append(record(1, T0.plusSeconds(1)), record(2, T0.plusSeconds(2)), record(2, T0.plusSeconds(2)));

        assertEquals(1, replay.stored());
        assertEquals(2, replay.duplicates());
        assertEquals(3, replay.headSeq());
        assertEquals(3, count("SELECT COUNT(*) FROM audit_records"));
        assertTrue(new AuditVerifier(reader).verify().ok());
    }

    @Test
    void shouldStoreAnEventOnceWhenItsProducerSentItAgainUnderAnotherOffset() {
        // A service resends an audit event Kafka did not acknowledge; if the broker had written it
        // before it died, the topic holds it twice, at two offsets, with one event id.
        AuditEvent accepted = event("evt_1", T0, AuditAction.TASK_ACCEPTED, "agt_1", "t1", Map.of());
        append(record(0, 0, accepted));

        AppendResult resent = append(record(0, 1, accepted),
                record(1, 0, event("evt_2", T0, AuditAction.TASK_STARTED, "agt_1", "t1", Map.of())),
                record(1, 1, event("evt_2", T0, AuditAction.TASK_STARTED, "agt_1", "t1", Map.of())));

        assertEquals(1, resent.stored());
        assertEquals(2, resent.duplicates());
        assertEquals(1, count("SELECT COUNT(*) FROM audit_records WHERE event_id = 'evt_1'"));
        assertEquals(1, count("SELECT COUNT(*) FROM audit_records WHERE event_id = 'evt_2'"));
        // Each resent copy keeps its place in the chain as a marker naming the event it repeats,
        // so every consumed offset still has its record.
        assertEquals(2, count("SELECT COUNT(*) FROM audit_records WHERE action = 'audit.resent' AND task_id IS NULL"));
        assertEquals(Map.of(0, 2L, 1, 2L), store.nextOffsets(TOPIC));
        assertTrue(new AuditVerifier(reader).verify().ok());
    }

    @Test
    void shouldKeepTheNextOffsetOfEachPartitionWithTheRecords() {
        append(record(0, 0, event("a", T0, AuditAction.TASK_ACCEPTED, "agt_1", "t1", Map.of())),
                record(0, 1, event("b", T0, AuditAction.TASK_STARTED, "agt_1", "t1", Map.of())),
                record(2, 7, event("c", T0, AuditAction.TASK_ACCEPTED, "agt_2", "t2", Map.of())));
        append(record(0, 0, event("a", T0, AuditAction.TASK_ACCEPTED, "agt_1", "t1", Map.of())));

        assertEquals(Map.of(0, 2L, 2, 8L), store.nextOffsets(TOPIC));
        assertEquals(Map.of(), store.nextOffsets("other.audit"));
    }

    @Test
    void shouldRefuseTheTrailOfAnotherTopic() {
        append(record(0, T0));

        store.requireTopic(TOPIC);
        AuditStoreException refused = assertThrows(AuditStoreException.class, () -> store.requireTopic("other.audit"));

        assertTrue(refused.getMessage().contains("holds the trail of topic " + TOPIC), refused.getMessage());
    }

    @Test
    void shouldDropSecretNamedFieldsBeforeStoringAndHashing() {
        Map<String, Object> details = Map.of(
                "token", "tok-SECRET-1",
                "Authorization", "Bearer tok-SECRET-2",
                "client_secret", "whsec_SECRET-3",
                "password", "SECRET-4",
                "private_key", "-----BEGIN PRIVATE KEY----- SECRET-5",
                "nested", Map.of("apiKey", "SECRET-6", "max_tokens", 512, "tool", "openai"),
                "tools", List.of(Map.of("X-Api-Key", "SECRET-7", "name", "serpapi")));

        AppendResult result = append(record(0, 0, event("e1", T0, AuditAction.TOKEN_ISSUED, "agt_1", null, details)));

        String stored = column(1, "record_json");
        assertFalse(stored.contains("SECRET"), stored);
        assertTrue(stored.contains("\"max_tokens\":512"), stored);
        assertTrue(stored.contains("serpapi"), stored);
        assertEquals(7, result.droppedKeys().size(), result.droppedKeys().toString());
        assertTrue(new AuditVerifier(reader).verify().ok());
    }

    @Test
    void shouldChainAValueThatIsNotAnAuditRecordAsInvalidWithOnlyItsHash() {
        append(new SourceRecord(1, 4, T0, "token=abc not json".getBytes(StandardCharsets.UTF_8)));

        List<StoredRecord> found = reader.query(new AuditQuery(null, null, "invalid", null, null, 10));

        assertEquals(1, found.size());
        assertEquals("audit-sink", found.get(0).service());
        assertEquals(T0, found.get(0).at());
        assertTrue(found.get(0).details().get("value_sha256").asText().startsWith("sha256:"));
        assertFalse(column(1, "record_json").contains("abc"));
        assertTrue(new AuditVerifier(reader).verify().ok());
    }

    @Test
    void shouldKeepFieldsAndActionsItDoesNotKnow() {
        String newer = "{\"type\":\"audit\",\"v\":2,\"id\":\"n1\",\"at\":\"2025-03-01T10:00:00Z\",\"service\":\"ingress\","
                + "\"action\":\"agent.renamed\",\"agent_id\":\"agt_9\",\"region\":\"eu-1\",\"details\":{\"name\":\"x\"}}";
        append(new SourceRecord(0, 0, T0, newer.getBytes(StandardCharsets.UTF_8)));

        List<StoredRecord> found = reader.query(new AuditQuery("agt_9", null, "agent.renamed", null, null, 10));

        assertEquals(1, found.size());
        assertEquals("x", found.get(0).details().get("name").asText());
        assertTrue(column(1, "record_json").contains("\"region\":\"eu-1\""));
    }

    @Test
    void shouldFilterQueriesByAgentTaskTypeAndTime() {
        append(record(0, 0, event("a", T0, AuditAction.TASK_ACCEPTED, "agt_1", "t1", Map.of("k", "v"))),
                record(0, 1, event("b", T0.plusSeconds(10), AuditAction.TASK_SUCCEEDED, "agt_1", "t1", Map.of())),
                record(0, 2, event("c", T0.plusSeconds(20), AuditAction.TASK_SUCCEEDED, "agt_2", "t2", Map.of())),
                record(0, 3, event("d", T0.plusSeconds(30), AuditAction.AUTH_FAILED, "agt_2", null, Map.of())));

        assertEquals(List.of(2L, 1L), seqs(new AuditQuery("agt_1", null, null, null, null, 100)));
        assertEquals(List.of(3L), seqs(new AuditQuery(null, "t2", null, null, null, 100)));
        assertEquals(List.of(3L, 2L), seqs(new AuditQuery(null, null, "task.succeeded", null, null, 100)));
        assertEquals(List.of(3L, 2L), seqs(new AuditQuery(null, null, null, T0.plusSeconds(10), T0.plusSeconds(30), 100)));
        assertEquals(List.of(2L), seqs(new AuditQuery("agt_1", "t1", "task.succeeded", T0.plusSeconds(5), null, 100)));
        assertEquals(List.of(), seqs(new AuditQuery("agt_3", null, null, null, null, 100)));

        StoredRecord accepted = reader.query(new AuditQuery(null, null, "task.accepted", null, null, 1)).get(0);
        assertEquals(T0, accepted.at());
        assertEquals("ingress", accepted.service());
        assertEquals("allowed", accepted.outcome());
        assertEquals("req_a", accepted.requestId());
        assertEquals("v", accepted.details().get("k").asText());
        assertEquals(column(1, "hash"), accepted.hash());
    }

    @Test
    void shouldReturnTheNewestFirstUpToTheLimit() {
        append(record(0, T0.plusSeconds(3)), record(1, T0.plusSeconds(1)), record(2, T0.plusSeconds(2)),
                record(3, T0.plusSeconds(4)), record(4, T0.plusSeconds(4)));

        assertEquals(List.of(5L, 4L, 1L), seqs(AuditQuery.latest(3)));
        assertEquals(List.of(5L, 4L, 1L, 3L, 2L), seqs(AuditQuery.latest(AuditQuery.MAX_LIMIT)));
    }

    @Test
    void shouldReturnRecordsInTheWireShape() {
        append(record(0, 0, event("a", T0, AuditAction.TASK_SUCCEEDED, "agt_1", "t1", Map.of("ms", 12))));

        JsonNode json = Json.mapper().valueToTree(reader.query(AuditQuery.latest(1)).get(0));

        assertEquals(List.of("seq", "at", "service", "type", "outcome", "agent_id", "task_id", "request_id", "details", "hash"),
                fieldNames(json));
        assertEquals("task.succeeded", json.get("type").asText());
        assertEquals("2025-03-01T10:00:00Z", json.get("at").asText());
    }

    void appendFive() {
        List<SourceRecord> records = new ArrayList<>();
        for (int offset = 0; offset < 5; offset++) {
            records.add(record(offset, T0.plus(Duration.ofSeconds(offset))));
        }
        store.append(TOPIC, records);
    }

    AppendResult append(SourceRecord... records) {
        return store.append(TOPIC, List.of(records));
    }

    List<Long> seqs(AuditQuery query) {
        return reader.query(query).stream().map(StoredRecord::seq).toList();
    }

    static List<String> fieldNames(JsonNode json) {
        List<String> names = new ArrayList<>();
        json.properties().forEach(field -> names.add(field.getKey()));
        return names;
    }

    Connection raw() throws SQLException {
        return DriverManager.getConnection(jdbcUrl());
    }

    String column(long seq, String column) {
        try (Connection connection = raw();
             PreparedStatement select = connection.prepareStatement("SELECT " + column + " FROM audit_records WHERE seq = ?")) {
            select.setLong(1, seq);
            try (ResultSet rows = select.executeQuery()) {
                assertTrue(rows.next(), "no record " + seq);
                return rows.getString(1);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    long count(String sql) {
        try (Connection connection = raw(); PreparedStatement select = connection.prepareStatement(sql);
             ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    void execute(String sql, Object... parameters) {
        try (Connection connection = raw(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
