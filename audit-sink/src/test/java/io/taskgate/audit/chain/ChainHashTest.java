package io.taskgate.audit.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ChainHashTest {
    private static final String JSON = "{\"action\":\"task.accepted\",\"id\":\"e1\"}";

    @Test
    void shouldBeStableLowerCaseHexSha256() {
        String hash = ChainHash.of(1, 0, 0, ChainHash.GENESIS, JSON);

        assertEquals(hash, ChainHash.of(1, 0, 0, ChainHash.GENESIS, JSON));
        assertTrue(hash.matches("[0-9a-f]{64}"), hash);
    }

    @Test
    void shouldChangeWhenAnyCoveredFieldChanges() {
        String base = ChainHash.of(7, 2, 40, "a".repeat(64), JSON);

        Set<String> variants = Set.of(
                ChainHash.of(8, 2, 40, "a".repeat(64), JSON),
                ChainHash.of(7, 3, 40, "a".repeat(64), JSON),
                ChainHash.of(7, 2, 41, "a".repeat(64), JSON),
                ChainHash.of(7, 2, 40, "b".repeat(64), JSON),
                ChainHash.of(7, 2, 40, "a".repeat(64), JSON.replace("e1", "e2")));

        assertEquals(5, variants.size());
        assertTrue(variants.stream().noneMatch(base::equals));
    }

    @Test
    void shouldNotConfuseFieldBoundaries() {
        assertNotEquals(ChainHash.of(12, 3, 4, ChainHash.GENESIS, JSON), ChainHash.of(1, 23, 4, ChainHash.GENESIS, JSON));
    }

    @Test
    void shouldExpectTheHashOfALinksOwnFields() {
        String hash = ChainHash.of(3, 1, 9, ChainHash.GENESIS, JSON);

        assertEquals(hash, ChainHash.expected(new ChainLink(3, 1, 9, JSON, ChainHash.GENESIS, "anything")));
    }
}
