package io.taskgate.workers.tools;

import static io.taskgate.workers.tools.Tasks.json;
import static io.taskgate.workers.tools.Tasks.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ToolRegistryTest {
    private final EchoTool echo = new EchoTool();
    private final ToolRegistry registry = new ToolRegistry(List.of(echo));

    @Test
    void shouldFindToolByNameAndAction() {
        assertEquals(Optional.of(echo), registry.find("echo.run"));
    }

    @Test
    void shouldFindNothingForUnknownToolUnknownActionOrMalformedName() {
        assertTrue(registry.find("nope.run").isEmpty());
        assertTrue(registry.find("echo.delete").isEmpty());
        assertTrue(registry.find("echo").isEmpty());
        assertTrue(registry.find("Echo.Run").isEmpty());
        assertTrue(registry.find(null).isEmpty());
    }

    @Test
    void shouldListTheTaskNamesItRuns() {
        assertEquals(Set.of("echo.run"), registry.taskNames());
    }

    @Test
    void shouldRefuseTwoToolsWithOneName() {
        assertThrows(IllegalArgumentException.class, () -> new ToolRegistry(List.of(new EchoTool(), new EchoTool())));
    }

    @Test
    void shouldEchoTheInput() throws Exception {
        String input = "{\"a\": [1, 2, {\"b\": null}]}";
        assertEquals(json(input), echo.run(task("tsk_1", "echo.run", input)).toCompletableFuture().get(1, TimeUnit.SECONDS));
    }
}
