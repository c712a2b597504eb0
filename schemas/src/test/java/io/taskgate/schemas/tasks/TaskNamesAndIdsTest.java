package io.taskgate.schemas.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class TaskNamesAndIdsTest {

    @Test
    void shouldSplitTheActionFromTheToolAtTheLastDot() {
        assertEquals(new TaskName("serpapi", "search"), TaskName.parse("serpapi.search"));
        assertEquals(new TaskName("internal.cache", "clear"), TaskName.parse("internal.cache.clear"));
    }

    @Test
    void shouldRefuseNamesThatAreNotDottedLowerCase() {
        for (String bad : new String[] {"echo", "Echo.run", ".run", "echo.", "echo..run", "echo.run/../x", "", null}) {
            assertFalse(TaskName.isValid(bad), String.valueOf(bad));
        }
        assertThrows(IllegalArgumentException.class, () -> TaskName.parse("echo"));
    }

    @Test
    void shouldDeriveTheSameIdForTheSameAgentAndIdempotencyKey() {
        String id = TaskIds.forIdempotencyKey("agt_1", "order-42");
        assertEquals(id, TaskIds.forIdempotencyKey("agt_1", "order-42"));
        assertNotEquals(id, TaskIds.forIdempotencyKey("agt_2", "order-42"));
        assertNotEquals(id, TaskIds.forIdempotencyKey("agt_1", "order-43"));
        assertNotEquals(TaskIds.forIdempotencyKey("agt_1x", "y"), TaskIds.forIdempotencyKey("agt_1", "xy"));
        assertTrue(TaskIds.looksValid(id), id);
    }

    @Test
    void shouldMakeWellFormedRandomIds() {
        TaskIds ids = new TaskIds(new SecureRandom());
        String one = ids.random();
        assertTrue(TaskIds.looksValid(one), one);
        assertNotEquals(one, ids.random());
        assertFalse(TaskIds.looksValid("tsk_short"));
    }
}
