package io.taskgate.workers.tools.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskgate.platform.secrets.Secret;
import io.taskgate.schemas.json.Json;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.tool.api.Tool;
import io.taskgate.tool.api.ToolException;
import io.taskgate.workers.tools.outside.JsonApi;
import io.taskgate.workers.tools.outside.OutsideTarget;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code openai.chat}: one chat completion from any OpenAI-compatible API
 * ({@code POST <base>/chat/completions}); result {@code {"content", "model", "finish_reason",
 * "usage": {"prompt_tokens", "completion_tokens", "total_tokens"}}}. The key is the tool secret
 * {@code openai_api_key}; without it no {@code Authorization} is sent, as local compatible servers need none.
 */
public final class OpenAiChatTool implements Tool {
    public static final String NAME = "openai";
    public static final String SECRET = "openai_api_key";
    private static final String[] USAGE_FIELDS = {"prompt_tokens", "completion_tokens", "total_tokens"};

    private final JsonApi api;
    private final OpenAiSettings settings;
    private final Optional<Secret> apiKey;

    public OpenAiChatTool(JsonApi api, OpenAiSettings settings, Optional<Secret> apiKey) {
        this.api = api;
        this.settings = settings;
        this.apiKey = apiKey;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> actions() {
        return Set.of("chat");
    }

    @Override
    public CompletionStage<JsonNode> run(TaskMessage task) {
        ObjectNode body;
        try {
            body = ChatRequest.body(task.input(), settings.defaultModel());
        } catch (ToolException e) {
            return CompletableFuture.failedFuture(e);
        }
        OutsideTarget target = settings.target();
        URI uri = target.resolve("chat/completions", null);
        HttpRequest.Builder request = HttpRequest.newBuilder()
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .header("Content-Type", "application/json");
        apiKey.ifPresent(key -> request.header("Authorization", "Bearer " + key.reveal()));
        return api.send(request, uri).thenApply(OpenAiChatTool::result);
    }

    static JsonNode result(JsonNode answer) {
        JsonNode choice = answer.path("choices").path(0);
        JsonNode message = choice.path("message");
        if (!choice.isObject() || !message.isObject()) {
            throw ToolException.transientFailure("openai.chat: the answer has no choices[0].message", null);
        }
        ObjectNode result = Json.mapper().createObjectNode();
        JsonNode content = message.get("content");
        result.put("content", content == null || content.isNull() ? null : content.asText());
        result.put("model", answer.path("model").asText(null));
        result.put("finish_reason", choice.path("finish_reason").asText(null));
        ObjectNode usage = result.putObject("usage");
        for (String field : USAGE_FIELDS) {
            JsonNode count = answer.path("usage").get(field);
            if (count != null && count.canConvertToLong()) {
                usage.put(field, count.asLong());
            }
        }
        return result;
    }
}
