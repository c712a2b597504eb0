package io.taskgate.workers.tools.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.tool.api.ToolException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A validated http_fetch input: {@code {"url": "https://...", "headers": {"Accept": "..."}}}, and
 * for {@code post} a {@code "body"}: a string sent as it is, or JSON sent as
 * {@code application/json} unless the caller names a {@code Content-Type}.
 */
record FetchRequest(URI uri, Map<String, String> headers, String method, byte[] body) {
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** Headers the JDK client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED_HEADERS =
            Set.of("connection", "content-length", "date", "expect", "from", "host", "upgrade", "via", "warning");
    private static final int MAX_HEADERS = 50;

    FetchRequest {
        headers = Map.copyOf(headers);
    }

    static FetchRequest parse(JsonNode input) {
        return parse(input, "GET");
    }

    static FetchRequest parse(JsonNode input, String method) {
        JsonNode url = input == null ? null : input.get("url");
        if (url == null || !url.isTextual()) {
            throw ToolException.badInput("http_fetch needs {\"url\": \"http(s)://...\"}");
        }
        URI uri;
        try {
            uri = new URI(url.asText());
        } catch (URISyntaxException e) {
            throw ToolException.badInput("http_fetch url is not a valid URL");
        }
        Map<String, String> headers = headers(input.get("headers"));
        if (!method.equals("POST")) {
            return new FetchRequest(checkTarget(uri), headers, method, null);
        }
        JsonNode body = input.get("body");
        if (body == null || body.isNull()) {
            return new FetchRequest(checkTarget(uri), headers, method, new byte[0]);
        }
        if (body.isTextual()) {
            return new FetchRequest(checkTarget(uri), headers, method, body.asText().getBytes(StandardCharsets.UTF_8));
        }
        Map<String, String> withType = new LinkedHashMap<>(headers);
        if (headers.keySet().stream().noneMatch(name -> name.equalsIgnoreCase("content-type"))) {
            withType.put("Content-Type", "application/json");
        }
        return new FetchRequest(checkTarget(uri), withType, method, body.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The request a redirect leads to: 307 and 308 repeat the method and body; 301, 302 and 303
     * turn a POST into a GET without a body, as browsers do. Caller headers travel only within
     * the first origin, as they may hold credentials meant for it alone.
     */
    FetchRequest redirectedTo(URI target, int status) {
        Map<String, String> nextHeaders = sameOrigin(uri, target) ? headers : Map.of();
        boolean keepsMethod = status == 307 || status == 308;
        if (keepsMethod || method.equals("GET")) {
            return new FetchRequest(target, nextHeaders, method, body);
        }
        Map<String, String> withoutBodyHeaders = new LinkedHashMap<>(nextHeaders);
        withoutBodyHeaders.keySet().removeIf(name -> name.equalsIgnoreCase("content-type"));
        return new FetchRequest(target, withoutBodyHeaders, "GET", null);
    }

    /** The absolute URL a redirect's {@code Location} points to, checked like the first one. */
    static URI redirectTarget(URI from, String location) {
        URI target;
        try {
            target = from.resolve(new URI(location.trim()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw ToolException.failed("http_fetch got an invalid redirect location");
        }
        if ("https".equals(from.getScheme()) && "http".equalsIgnoreCase(target.getScheme())) {
            throw ToolException.refused("http_fetch refuses a redirect from https to http");
        }
        try {
            return checkTarget(target);
        } catch (ToolException e) {
            throw ToolException.refused("http_fetch refuses the redirect: " + e.getMessage());
        }
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && effectivePort(a) == effectivePort(b);
    }

    private static int effectivePort(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static URI checkTarget(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ToolException.badInput("http_fetch only fetches http and https URLs");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw ToolException.badInput("http_fetch url needs a host");
        }
        if (uri.getRawUserInfo() != null) {
            // user@host URLs are a classic way to make a reader see one host and a client another.
            throw ToolException.badInput("http_fetch url must not contain credentials");
        }
        return uri;
    }

    private static Map<String, String> headers(JsonNode node) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw ToolException.badInput("http_fetch headers must be an object of strings");
        }
        if (node.size() > MAX_HEADERS) {
            throw ToolException.badInput("http_fetch takes at most " + MAX_HEADERS + " headers");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (!HEADER_NAME.matcher(name).matches() || RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw ToolException.badInput("http_fetch cannot send header '" + name + "'");
            }
            JsonNode value = field.getValue();
            if (!value.isTextual() || value.asText().chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                throw ToolException.badInput("http_fetch header '" + name + "' must be a single-line string");
            }
            headers.put(name, value.asText());
        }
        return headers;
    }
}
