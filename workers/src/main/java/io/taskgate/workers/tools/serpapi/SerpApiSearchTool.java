package io.taskgate.workers.tools.serpapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.platform.secrets.Secret;
import io.taskgate.platform.secrets.SecretNames;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.tool.api.Tool;
import io.taskgate.tool.api.ToolException;
import io.taskgate.workers.tools.outside.JsonApi;
import io.taskgate.workers.tools.outside.OutsideTarget;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code serpapi.search}: one search through SerpAPI ({@code GET <base>/search.json}); the result is
 * SerpAPI's JSON answer. The key, the tool secret {@code serpapi_api_key}, goes in the query as
 * SerpAPI requires, so the request URL is never put in an error or a log line.
 */
public final class SerpApiSearchTool implements Tool {
    public static final String NAME = "serpapi";
    public static final String SECRET = "serpapi_api_key";

    private final JsonApi api;
    private final OutsideTarget target;
    private final Optional<Secret> apiKey;

    public SerpApiSearchTool(JsonApi api, OutsideTarget target, Optional<Secret> apiKey) {
        this.api = api;
        this.target = target;
        this.apiKey = apiKey;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> actions() {
        return Set.of("search");
    }

    @Override
    public CompletionStage<JsonNode> run(TaskMessage task) {
        Map<String, String> parameters;
        try {
            parameters = new LinkedHashMap<>(SearchQuery.parameters(task.input()));
            if (apiKey.isEmpty()) {
                throw ToolException.failed("serpapi.search needs the tool secret " + SECRET + " ("
                        + SecretNames.envName(SECRET) + ", or taskgate secrets set " + SECRET + ")");
            }
        } catch (ToolException e) {
            return CompletableFuture.failedFuture(e);
        }
        parameters.put("output", "json");
        parameters.put("api_key", apiKey.get().reveal());
        return api.send(HttpRequest.newBuilder().GET(), target.resolve("search.json", SearchQuery.encode(parameters)));
    }
}
