package io.taskgate.schemas.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.schemas.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepInputsTest {
    private final StepInputs inputs = new StepInputs(json("{\"url\": \"https://example.com\", \"n\": 2}"),
            Map.of("fetch", json("{\"body\": \"hello\", \"items\": [{\"id\": 7}]}")));

    @Test
    void shouldKeepTheTypeOfAWholePlaceholderAndInterpolateInsideText() {
        JsonNode filled = inputs.fill(json("{\"n\": \"${input.n}\", \"text\": \"got ${steps.fetch.result.body} from ${input.url}\","
                + " \"first\": \"${steps.fetch.result.items.0.id}\", \"all\": \"${steps.fetch.result}\"}"));
        assertEquals(2, filled.get("n").asInt());
        assertTrue(filled.get("n").isNumber());
        assertEquals("got hello from https://example.com", filled.get("text").asText());
        assertEquals(7, filled.get("first").asInt());
        assertEquals("hello", filled.get("all").get("body").asText());
    }

    @Test
    void shouldFailClearlyOnAMissingPath() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> inputs.fill(json("{\"x\": \"${steps.fetch.result.status}\"}")));
        assertEquals("${steps.fetch.result.status}: 'status' is not in the result of step 'fetch'", error.getMessage());
    }

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
