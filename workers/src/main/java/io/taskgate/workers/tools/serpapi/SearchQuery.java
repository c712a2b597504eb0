package io.taskgate.workers.tools.serpapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.tool.api.ToolException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * A validated {@code serpapi.search} input, {@code {"q", "engine"? ("google"), "num"?, ...}}: SerpAPI's
 * own parameters, each a string, number or boolean. The key and the output format are the gateway's.
 */
final class SearchQuery {
    static final String DEFAULT_ENGINE = "google";
    private static final Pattern PARAMETER = Pattern.compile("[a-z][a-z0-9_]{0,39}");
    private static final Set<String> GATEWAY_PARAMETERS = Set.of("api_key", "output", "async");
    private static final int MAX_PARAMETERS = 40;
    private static final int MAX_VALUE_CHARS = 2048;

    private SearchQuery() {
    }

    /** The parameters to send, {@code q} and {@code engine} first; without the key. */
    static Map<String, String> parameters(JsonNode input) {
        if (input == null || !input.isObject()) {
            throw ToolException.badInput("serpapi.search needs an object input with \"q\"");
        }
        JsonNode q = input.get("q");
        if (q == null || !q.isTextual() || q.asText().isBlank()) {
            throw ToolException.badInput("serpapi.search q is required: a non-empty search string");
        }
        if (input.size() > MAX_PARAMETERS) {
            throw ToolException.badInput("serpapi.search takes at most " + MAX_PARAMETERS + " parameters");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("q", q.asText());
        parameters.put("engine", DEFAULT_ENGINE);
        Iterator<Map.Entry<String, JsonNode>> fields = input.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (!PARAMETER.matcher(name).matches()) {
                throw ToolException.badInput("serpapi.search parameter '" + name + "' is not a SerpAPI parameter name");
            }
            if (GATEWAY_PARAMETERS.contains(name)) {
                throw ToolException.badInput("serpapi.search parameter " + name + " is set by the gateway, not by tasks");
            }
            if (!(value.isTextual() || value.isNumber() || value.isBoolean()) || value.asText().length() > MAX_VALUE_CHARS) {
                throw ToolException.badInput("serpapi.search parameter " + name + " must be a string, number or boolean");
            }
            parameters.put(name, value.asText());
        }
        return parameters;
    }

    static String encode(Map<String, String> parameters) {
        StringJoiner query = new StringJoiner("&");
        parameters.forEach((name, value) ->
                query.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return query.toString();
    }
}
