package io.taskgate.schemas.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class TaskIdsTest {
    private final TaskIds ids = TaskIds.keyedBy("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8), new SecureRandom());
    private final TaskIds otherSecret = TaskIds.keyedBy("another secret of thirty-two bytes".getBytes(StandardCharsets.UTF_8),
            new SecureRandom());

    @Test
    void shouldDeriveTheSameIdForTheSameRequesterAndKeyOnly() {
        String id = ids.forIdempotencyKey("agt_1", "agt_1", "order-42");
        assertEquals(id, ids.forIdempotencyKey("agt_1", "agt_1", "order-42"));
        assertNotEquals(id, ids.forIdempotencyKey("agt_2", "agt_2", "order-42"));
        assertNotEquals(id, ids.forIdempotencyKey("agt_1", "agt_1", "order-43"));
        assertNotEquals(ids.forIdempotencyKey("agt_1x", "agt_1x", "y"), ids.forIdempotencyKey("agt_1", "agt_1", "xy"));
        assertTrue(TaskIds.looksValid(id), id);
    }

    @Test
    void shouldNotLetAnyoneWithoutTheSecretDeriveAnAnonymousCallersId() {
        String mine = ids.forIdempotencyKey(TaskIds.ANONYMOUS, "ip:203.0.113.7", "k");
        assertNotEquals(mine, ids.forIdempotencyKey(TaskIds.ANONYMOUS, "ip:203.0.113.8", "k"), "another client address");
        assertNotEquals(mine, otherSecret.forIdempotencyKey(TaskIds.ANONYMOUS, "ip:203.0.113.7", "k"), "without the secret");
    }

    @Test
    void shouldKnowWhoseIdItIs() {
        String agents = ids.random("agt_1");
        assertTrue(ids.isFor(agents, "agt_1"));
        assertFalse(ids.isFor(agents, "agt_2"));
        assertFalse(ids.isFor(agents, TaskIds.ANONYMOUS));
        assertFalse(otherSecret.isFor(agents, "agt_1"));
        char last = agents.charAt(agents.length() - 1);
        assertFalse(ids.isFor(agents.substring(0, agents.length() - 1) + (last == '0' ? '1' : '0'), "agt_1"), "a changed tag");
        assertTrue(ids.isFor(ids.forIdempotencyKey("agt_1", "agt_1", "k"), "agt_1"));
    }

    @Test
    void shouldMakeWellFormedRandomIds() {
        String one = ids.random("agt_1");
        assertTrue(TaskIds.looksValid(one), one);
        assertNotEquals(one, ids.random("agt_1"));
        assertFalse(TaskIds.looksValid("tsk_short"));
        assertFalse(TaskIds.looksValid(null));
    }
}
