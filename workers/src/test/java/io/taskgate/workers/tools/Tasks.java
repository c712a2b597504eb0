package io.taskgate.workers.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.schemas.json.Json;
import io.taskgate.schemas.tasks.TaskMessage;
import java.io.UncheckedIOException;
import java.time.Instant;

/** Task messages for tests. */
public final class Tasks {
    private Tasks() {
    }

    public static TaskMessage task(String id, String name, String inputJson) {
        return new TaskMessage(id, name, "agt_test", "tester", json(inputJson), null, "req-" + id, null, null,
                Instant.parse("2024-01-01T00:00:00Z"), "default");
    }

    public static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
