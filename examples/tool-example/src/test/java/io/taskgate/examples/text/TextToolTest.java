package io.taskgate.examples.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.tool.api.Tool;
import io.taskgate.tool.api.ToolException;
import io.taskgate.tool.api.ToolProvider;
import java.time.Instant;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class TextToolTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Tool tool = onlyTool();

    @Test
    void shouldBeFoundThroughItsServicesFile() {
        assertEquals("text", tool.name());
        assertEquals(Set.of("upper", "count"), tool.actions());
    }

    @Test
    void shouldUpperCaseAndCount() throws Exception {
        assertEquals(JSON.readTree("{\"text\": \"HELLO PLUG-IN\"}"), run("text.upper", "{\"text\": \"hello plug-in\"}"));
        assertEquals(JSON.readTree("{\"characters\": 13, \"words\": 2}"), run("text.count", "{\"text\": \" hello world \"}"));
        assertEquals(JSON.readTree("{\"characters\": 0, \"words\": 0}"), run("text.count", "{\"text\": \"\"}"));
    }

    @Test
    void shouldFailAsBadInputWithoutText() {
        CompletionException failed = assertThrows(CompletionException.class, () -> run("text.upper", "{\"text\": 3}"));

        ToolException cause = assertInstanceOf(ToolException.class, failed.getCause());
        assertEquals(ErrorCode.BAD_REQUEST, cause.code());
        assertEquals("'text' must be a string", cause.getMessage());
    }

    private JsonNode run(String name, String input) throws Exception {
        TaskMessage task = new TaskMessage("tsk_1", name, "agt_1", "bot", JSON.readTree(input), null, "req_1", null,
                "127.0.0.1", Instant.EPOCH, "default");
        return tool.run(task).toCompletableFuture().join();
    }

    private static Tool onlyTool() {
        List<ToolProvider> providers = ServiceLoader.load(ToolProvider.class).stream().map(ServiceLoader.Provider::get).toList();
        assertEquals(1, providers.size());
        List<Tool> tools = providers.get(0).tools(null);
        assertEquals(1, tools.size());
        return tools.get(0);
    }
}
