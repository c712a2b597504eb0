package io.taskgate.schemas.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.schemas.tools.ToolCatalog;
import org.junit.jupiter.api.Test;

class WorkflowParserTest {
    private final WorkflowParser parser = new WorkflowParser(ToolCatalog.builtIn());

    @Test
    void shouldReadStepsWithNeedsRetriesAndTimeouts() {
        WorkflowDefinition definition = parser.parse("""
                steps:
                  fetch: {task: http_fetch.get, input: {url: "${input.url}"}}
                  summary:
                    task: echo.run
                    needs: [fetch]
                    input: {text: "${steps.fetch.result.body}", n: 3}
                    retries: 2
                    timeout_s: 60
                  note: {task: echo.run, needs: [summary], optional: true}
                """);
        assertEquals(java.util.List.of("fetch", "summary", "note"), java.util.List.copyOf(definition.steps().keySet()));
        StepDefinition summary = definition.steps().get("summary");
        assertEquals(java.util.List.of("fetch"), summary.needs());
        assertEquals(3, summary.maxAttempts());
        assertEquals(60, summary.timeoutS());
        assertEquals(3, summary.input().get("n").asInt());
        assertTrue(definition.steps().get("note").optional());
    }

    @Test
    void shouldReadJsonDefinitions() {
        WorkflowDefinition definition = parser.parse("{\"steps\": {\"a\": {\"task\": \"echo.run\", \"input\": {\"x\": true}}}}");
        assertTrue(definition.steps().get("a").input().get("x").asBoolean());
    }

    @Test
    void shouldKeepInputKeysThatContainDots() {
        WorkflowDefinition definition = parser.parse("steps:\n  a: {task: echo.run, input: {\"a.b\": 1, \"x\": {\"c.d.e\": 2}}}\n");
        assertEquals("{\"a.b\":1,\"x\":{\"c.d.e\":2}}", definition.steps().get("a").input().toString());
    }

    @Test
    void shouldReadEveryYamlBooleanInInputs() {
        WorkflowDefinition definition = parser.parse("steps:\n  a: {task: echo.run, input: {on: yes, off: no}, optional: yes}\n");
        assertEquals("{\"on\":true,\"off\":false}", definition.steps().get("a").input().toString());
        assertTrue(definition.steps().get("a").optional());
    }

    @Test
    void shouldAnswerADocumentTheYamlLibraryCannotReadWithAWorkflowError() {
        // The tag that PolicyParsingFuzzTest found makes SnakeYAML throw an IllegalArgumentException.
        WorkflowException error = assertThrows(WorkflowException.class, () -> parser.parse("!:aa:%0"));
        assertTrue(error.getMessage().contains("not valid YAML or JSON"), error.getMessage());
    }

    @Test
    void shouldNameTheUnknownStepInNeedsAndItsLine() {
        WorkflowException error = assertThrows(WorkflowException.class, () -> parser.parse("""
                steps:
                  a: {task: echo.run}
                  b:
                    task: echo.run
                    needs: [a, nope]
                """));
        assertEquals("steps.b.needs[1]", error.field());
        assertEquals(5, error.line());
        assertTrue(error.getMessage().contains("unknown step 'nope'"), error.getMessage());
    }

    @Test
    void shouldNameTheStepsOfACycle() {
        WorkflowException error = assertThrows(WorkflowException.class, () -> parser.parse("""
                steps:
                  start: {task: echo.run}
                  a: {task: echo.run, needs: [start, c]}
                  b: {task: echo.run, needs: [a]}
                  c: {task: echo.run, needs: [b]}
                """));
        assertTrue(error.getMessage().contains("a -> c -> b -> a"), error.getMessage());
        assertEquals(3, error.line());
    }

    @Test
    void shouldRefuseAReferenceToAStepNotNeeded() {
        WorkflowException error = assertThrows(WorkflowException.class, () -> parser.parse("""
                steps:
                  a: {task: echo.run}
                  b: {task: echo.run}
                  c:
                    task: echo.run
                    needs: [a]
                    input: {text: "from ${steps.b.result.x}"}
                """));
        assertEquals("steps.c.input.text", error.field());
        assertEquals(7, error.line());
        assertTrue(error.getMessage().contains("does not need it"), error.getMessage());
    }

    @Test
    void shouldRefuseAnUnknownTaskName() {
        WorkflowException error = assertThrows(WorkflowException.class, () -> parser.parse("""
                steps:
                  a: {task: nope.run}
                """));
        assertEquals("steps.a.task", error.field());
        assertEquals(2, error.line());
    }

    @Test
    void shouldRefuseAMalformedPlaceholderAndUnknownKeys() {
        assertThrows(WorkflowException.class, () -> parser.parse("steps:\n  a: {task: echo.run, input: {x: \"${foo.bar}\"}}\n"));
        WorkflowException error = assertThrows(WorkflowException.class, () -> parser.parse("steps:\n  a: {task: echo.run, retry: 2}\n"));
        assertEquals("steps.a.retry", error.field());
    }

    @Test
    void shouldRefuseOversizedDocuments() {
        String big = "steps:\n  a: {task: echo.run, input: {x: \"" + "y".repeat(WorkflowParser.MAX_DOCUMENT_BYTES) + "\"}}\n";
        WorkflowException error = assertThrows(WorkflowException.class, () -> parser.parse(big));
        assertTrue(error.getMessage().contains("larger than"));
    }
}
