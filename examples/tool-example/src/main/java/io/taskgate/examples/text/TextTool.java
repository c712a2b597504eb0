package io.taskgate.examples.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.tool.api.Tool;
import io.taskgate.tool.api.ToolException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code text.upper} answers {@code {"text": "HELLO"}} for {@code {"text": "hello"}};
 * {@code text.count} answers {@code {"characters": 11, "words": 2}} for {@code {"text": "hello world"}}.
 * Both are pure and quick, so they complete at once on the calling thread.
 */
final class TextTool implements Tool {
    static final String NAME = "text";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> actions() {
        return Set.of("upper", "count");
    }

    @Override
    public CompletionStage<JsonNode> run(TaskMessage task) {
        try {
            String text = text(task.input());
            String action = task.name().substring(NAME.length() + 1);
            ObjectNode result = JsonNodeFactory.instance.objectNode();
            if (action.equals("upper")) {
                result.put("text", text.toUpperCase(Locale.ROOT));
            } else {
                String trimmed = text.strip();
                result.put("characters", text.codePointCount(0, text.length()));
                result.put("words", trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length);
            }
            return CompletableFuture.completedFuture(result);
        } catch (ToolException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static String text(JsonNode input) {
        JsonNode text = input == null ? null : input.get("text");
        if (text == null || !text.isTextual()) {
            throw ToolException.badInput("'text' must be a string");
        }
        return text.textValue();
    }
}
