package io.taskgate.workers.tools.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.workers.tools.ToolException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** A validated http_fetch input: {@code {"url": "https://...", "headers": {"Accept": "..."}}}. */
record FetchRequest(URI uri, Map<String, String> headers) {
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** Headers the JDK client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED_HEADERS =
            Set.of("connection", "content-length", "date", "expect", "from", "host", "upgrade", "via", "warning");
    private static final int MAX_HEADERS = 50;

    FetchRequest {
        headers = Map.copyOf(headers);
    }

    static FetchRequest parse(JsonNode input) {
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
        return new FetchRequest(checkTarget(uri), headers(input.get("headers")));
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
