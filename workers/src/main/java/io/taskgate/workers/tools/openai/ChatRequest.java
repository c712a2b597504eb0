package io.taskgate.workers.tools.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskgate.schemas.json.Json;
import io.taskgate.tool.api.ToolException;
import java.util.Set;

/**
 * A validated {@code openai.chat} input, {@code {"messages": [{"role", "content"}...], "model"?,
 * "temperature"?, "max_tokens"?}}, as the body of an OpenAI-compatible {@code /chat/completions} call.
 */
final class ChatRequest {
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");
    static final int MAX_MESSAGES = 1000;

    private ChatRequest() {
    }

    static ObjectNode body(JsonNode input, String defaultModel) {
        if (input == null || !input.isObject()) {
            throw ToolException.badInput("openai.chat needs an object input with \"messages\"");
        }
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("model", model(input.get("model"), defaultModel));
        body.set("messages", messages(input.get("messages")));
        JsonNode temperature = input.get("temperature");
        if (temperature != null && !temperature.isNull()) {
            if (!temperature.isNumber() || temperature.asDouble() < 0 || temperature.asDouble() > 2) {
                throw ToolException.badInput("openai.chat temperature must be a number from 0 to 2");
            }
            body.put("temperature", temperature.asDouble());
        }
        JsonNode maxTokens = input.get("max_tokens");
        if (maxTokens != null && !maxTokens.isNull()) {
            if (!maxTokens.isIntegralNumber() || !maxTokens.canConvertToInt() || maxTokens.asInt() < 1) {
                throw ToolException.badInput("openai.chat max_tokens must be a whole number of at least 1");
            }
            body.put("max_tokens", maxTokens.asInt());
        }
        return body;
    }

    private static String model(JsonNode model, String defaultModel) {
        if (model == null || model.isNull()) {
            return defaultModel;
        }
        if (!model.isTextual() || model.asText().isBlank()) {
            throw ToolException.badInput("openai.chat model must be a non-empty string");
        }
        return model.asText();
    }

    private static ArrayNode messages(JsonNode messages) {
        if (messages == null || !messages.isArray()) {
            throw ToolException.badInput("openai.chat messages must be a list of {\"role\", \"content\"}");
        }
        if (messages.isEmpty()) {
            throw ToolException.badInput("openai.chat messages must not be empty");
        }
        if (messages.size() > MAX_MESSAGES) {
            throw ToolException.badInput("openai.chat takes at most " + MAX_MESSAGES + " messages");
        }
        ArrayNode checked = Json.mapper().createArrayNode();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String at = "openai.chat messages[" + i + "]";
            if (!message.isObject()) {
                throw ToolException.badInput(at + " must be an object with role and content");
            }
            JsonNode role = message.get("role");
            if (role == null || !role.isTextual() || !ROLES.contains(role.asText())) {
                throw ToolException.badInput(at + ".role must be one of " + String.join(", ", ROLES.stream().sorted().toList()));
            }
            JsonNode content = message.get("content");
            if (content == null || !(content.isTextual() || content.isArray())) {
                throw ToolException.badInput(at + ".content must be a string (or a list of content parts)");
            }
            checked.add(message);
        }
        return checked;
    }
}
