package io.taskgate.launcher.secrets;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Local HTTP servers that answer like SerpAPI, an OpenAI-compatible API and a route backend, and
 * quote back everything they were sent (the query with its {@code api_key}, every header) in
 * their answers, successful or not: the worst an outside service can do with a key.
 * SerpAPI: {@code q=fail} is a 400, {@code q=boom} a 503. OpenAI: a message saying {@code fail}
 * is a 400, {@code deny} a 401. Route: an input with {@code "fail"} is a 422.
 */
final class HostileApis implements AutoCloseable {
    private final HttpServer server;
    private final AtomicInteger calls = new AtomicInteger();

    HostileApis() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/search.json", exchange -> {
            String query = exchange.getRequestURI().getRawQuery();
            int status = query.contains("q=fail") ? 400 : query.contains("q=boom") ? 503 : 200;
            answer(exchange, status, status == 200
                    ? "{\"organic_results\": [{\"title\": \"Kafka\"}], \"search_metadata\": {\"echo\": " + quote(query) + "}}"
                    : "{\"error\": " + quote("Invalid API key in " + query) + "}");
        });
        server.createContext("/v1/chat/completions", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
            int status = body.contains("fail") ? 400 : body.contains("deny") ? 401 : 200;
            answer(exchange, status, status == 200
                    ? "{\"model\": \"local\", \"choices\": [{\"message\": {\"role\": \"assistant\", \"content\": "
                            + quote("you sent " + authorization) + "}, \"finish_reason\": \"stop\"}],"
                            + " \"usage\": {\"prompt_tokens\": 3, \"completion_tokens\": 2, \"total_tokens\": 5}}"
                    : "{\"error\": {\"message\": " + quote("Incorrect API key provided: " + authorization) + "}}");
        });
        server.createContext("/users/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String headers = exchange.getRequestHeaders().entrySet().toString();
            int status = body.contains("\"fail\"") ? 422 : 200;
            answer(exchange, status, status == 200
                    ? "{\"ok\": true, \"you_sent\": " + quote(headers + " " + body) + "}"
                    : "{\"error\": " + quote("refused; you sent " + headers + " " + body) + "}");
        });
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int calls() {
        return calls.get();
    }

    private void answer(HttpExchange exchange, int status, String json) throws IOException {
        calls.incrementAndGet();
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String quote(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"').toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
