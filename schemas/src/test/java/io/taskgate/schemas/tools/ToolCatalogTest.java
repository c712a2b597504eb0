package io.taskgate.schemas.tools;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ToolCatalogTest {

    @Test
    void shouldListOnlyTheToolsWorkersRunToday() {
        ToolCatalog catalog = ToolCatalog.builtIn();

        for (String name : Set.of("echo.run", "sleep.run", "http_fetch.get", "http_fetch.post", "serpapi.search", "openai.chat", "email.send")) {
            assertTrue(catalog.contains(name), name);
        }
        for (String name : Set.of("http_fetch.put", "echo.walk")) {
            assertFalse(catalog.contains(name), name);
        }
        assertFalse(catalog.contains(null));
    }

    @Test
    void shouldNameWhatDiffersBetweenTheCatalogAndTheImplementedTools() {
        ToolCatalog catalog = new ToolCatalog(Set.of("echo.run", "sleep.run"));

        assertDoesNotThrow(() -> catalog.requireImplementedExactlyBy(Set.of("sleep.run", "echo.run")));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> catalog.requireImplementedExactlyBy(Set.of("echo.run", "email.send")));
        assertTrue(e.getMessage().contains("[sleep.run]") && e.getMessage().contains("[email.send]"), e.getMessage());
    }

    @Test
    void shouldRefuseAMalformedTaskName() {
        assertThrows(IllegalArgumentException.class, () -> new ToolCatalog(Set.of("Echo Run")));
    }
}
