package io.taskgate.audit.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChainHashTest {
    private static final String JSON = "{\"action\":\"task.accepted\",\"id\":\"e1\"}";
    private static final RecordColumns COLUMNS =
            new RecordColumns("e1", 1_000_000L, "ingress", "task.accepted", "allowed", "agt_1", "tsk_1", "req_1");
    private static final String PREV = "a".repeat(64);

    @Test
    void shouldBeStableLowerCaseHexSha256() {
        String hash = ChainHash.of(1, 0, 0, COLUMNS, ChainHash.GENESIS, JSON);

        assertEquals(hash, ChainHash.of(1, 0, 0, COLUMNS, ChainHash.GENESIS, JSON));
        assertTrue(hash.matches("[0-9a-f]{64}"), hash);
    }

    @Test
    void shouldChangeWhenAnyStoredColumnChanges() {
        String base = ChainHash.of(7, 2, 40, COLUMNS, PREV, JSON);

        List<String> variants = List.of(
                ChainHash.of(8, 2, 40, COLUMNS, PREV, JSON),
                ChainHash.of(7, 3, 40, COLUMNS, PREV, JSON),
                ChainHash.of(7, 2, 41, COLUMNS, PREV, JSON),
                ChainHash.of(7, 2, 40, COLUMNS, "b".repeat(64), JSON),
                ChainHash.of(7, 2, 40, COLUMNS, PREV, JSON.replace("e1", "e2")),
                ChainHash.of(7, 2, 40, new RecordColumns("e2", 1_000_000L, "ingress", "task.accepted", "allowed", "agt_1", "tsk_1", "req_1"), PREV, JSON),
                ChainHash.of(7, 2, 40, new RecordColumns("e1", 1_000_001L, "ingress", "task.accepted", "allowed", "agt_1", "tsk_1", "req_1"), PREV, JSON),
                ChainHash.of(7, 2, 40, new RecordColumns("e1", 1_000_000L, "workers", "task.accepted", "allowed", "agt_1", "tsk_1", "req_1"), PREV, JSON),
                ChainHash.of(7, 2, 40, new RecordColumns("e1", 1_000_000L, "ingress", "task.failed", "allowed", "agt_1", "tsk_1", "req_1"), PREV, JSON),
                ChainHash.of(7, 2, 40, new RecordColumns("e1", 1_000_000L, "ingress", "task.accepted", "denied", "agt_1", "tsk_1", "req_1"), PREV, JSON),
                ChainHash.of(7, 2, 40, new RecordColumns("e1", 1_000_000L, "ingress", "task.accepted", "allowed", "agt_2", "tsk_1", "req_1"), PREV, JSON),
                ChainHash.of(7, 2, 40, new RecordColumns("e1", 1_000_000L, "ingress", "task.accepted", "allowed", "agt_1", "tsk_2", "req_1"), PREV, JSON),
                ChainHash.of(7, 2, 40, new RecordColumns("e1", 1_000_000L, "ingress", "task.accepted", "allowed", "agt_1", "tsk_1", "req_2"), PREV, JSON));

        assertEquals(variants.size(), Set.copyOf(variants).size());
        assertTrue(variants.stream().noneMatch(base::equals));
    }

    @Test
    void shouldTellAMissingColumnFromAnEmptyOne() {
        RecordColumns missing = new RecordColumns("e1", 0, "ingress", "task.accepted", null, "agt_1", null, null);
        RecordColumns empty = new RecordColumns("e1", 0, "ingress", "task.accepted", "", "agt_1", null, null);

        assertNotEquals(ChainHash.of(1, 0, 0, missing, PREV, JSON), ChainHash.of(1, 0, 0, empty, PREV, JSON));
    }

    @Test
    void shouldNotConfuseFieldBoundaries() {
        RecordColumns split = new RecordColumns("e1", 0, "ingress", "task.accepted", null, "agt_1\n3:tsk", null, null);
        RecordColumns joined = new RecordColumns("e1", 0, "ingress", "task.accepted", null, "agt_1", "tsk", null);

        assertNotEquals(ChainHash.of(12, 3, 4, COLUMNS, PREV, JSON), ChainHash.of(1, 23, 4, COLUMNS, PREV, JSON));
        assertNotEquals(ChainHash.of(1, 0, 0, split, PREV, JSON), ChainHash.of(1, 0, 0, joined, PREV, JSON));
    }

    @Test
    void shouldExpectTheHashOfALinksVersion() {
        ChainLink v2 = new ChainLink(3, 1, 9, COLUMNS, JSON, ChainHash.V2, ChainHash.GENESIS, "anything");
        ChainLink v1 = new ChainLink(3, 1, 9, COLUMNS, JSON, ChainHash.V1, ChainHash.GENESIS, "anything");

        assertEquals(ChainHash.of(3, 1, 9, COLUMNS, ChainHash.GENESIS, JSON), ChainHash.expected(v2));
        assertEquals(ChainHash.v1(3, 1, 9, ChainHash.GENESIS, JSON), ChainHash.expected(v1));
        assertNotEquals(ChainHash.expected(v1), ChainHash.expected(v2));
        assertThrows(IllegalArgumentException.class,
                () -> ChainHash.expected(new ChainLink(3, 1, 9, COLUMNS, JSON, 3, ChainHash.GENESIS, "anything")));
    }

    @Test
    void shouldKeepTheFirstReleasesFormulaForVersionOne() {
        // The value the first release computed for this record; a change here breaks every old database.
        assertEquals(io.taskgate.schemas.crypto.Sha256.hex("taskgate-audit-chain-v1\n1\n0\n0\n" + ChainHash.GENESIS + "\n" + JSON),
                ChainHash.v1(1, 0, 0, ChainHash.GENESIS, JSON));
    }
}
