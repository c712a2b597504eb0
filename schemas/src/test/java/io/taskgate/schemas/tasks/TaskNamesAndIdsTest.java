package io.taskgate.schemas.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
