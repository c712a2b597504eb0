package io.taskgate.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.schemas.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Drives Taskgate's HTTP API over real HTTP, the way a user's curl would: raw requests, and the
 * gateway's own steps (create an agent, mint a token, post and get a task) with the error shape checked.
 */
public final class HttpDriver {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(40);

    private final String base;
    private final String[] defaultHeaders;

    public HttpDriver(int port) {
        this("http://127.0.0.1:" + port);
    }

    public HttpDriver(String base) {
        this(base, new String[0]);
    }

    private HttpDriver(String base, String[] defaultHeaders) {
        this.base = base;
        this.defaultHeaders = defaultHeaders;
    }

    /** The same server, every request carrying {@code token} as its bearer token. */
    public HttpDriver as(String token) {
        return new HttpDriver(base, bearer(token));
    }

    /** The header pair that presents {@code token}. */
    public static String[] bearer(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }

    /** headers: name, value, name, value ... */
    public Response send(String method, String path, String contentType, String body, String... headers) {
        return send(request(method, path, contentType, body, headers));
    }

    private static Response send(HttpRequest request) {
        try {
            return new Response(CLIENT.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A request left in flight, for tests of long polls and concurrent callers. */
    public CompletableFuture<Response> sendAsync(String method, String path, String contentType, String body, String... headers) {
        return CLIENT.sendAsync(request(method, path, contentType, body, headers), HttpResponse.BodyHandlers.ofString())
                .thenApply(Response::new);
    }

    public Response get(String path, String... headers) {
        return send("GET", path, null, null, headers);
    }

    public Response delete(String path, String... headers) {
        return send("DELETE", path, null, null, headers);
    }

    public Response postJson(String path, String json, String... headers) {
        return send("POST", path, "application/json", json, headers);
    }

    /** A body sent as is, for tests of sizes and content types the JSON helpers would not send. */
    public Response postBytes(String path, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder request = builder(path, contentType, headers).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        return send(request.build());
    }

    public Response put(String path, String contentType, String body, String... headers) {
        return send("PUT", path, contentType, body, headers);
    }

    /** Creates an agent with the admin token; returns its id. */
    public String createAgent(String adminToken, String agentJson) {
        Response created = postJson("/api/agents", agentJson, bearer(adminToken));
        assertEquals(201, created.statusCode(), created::toString);
        return created.json().get("id").asText();
    }

    /** Mints a token for an agent with the admin token ({@code requestJson} as in the API, "{}" for defaults). */
    public String mintToken(String adminToken, String agentId, String requestJson) {
        Response minted = postJson("/api/agents/" + agentId + "/tokens", requestJson, bearer(adminToken));
        assertEquals(201, minted.statusCode(), minted::toString);
        return minted.json().get("token").asText();
    }

    public Response postTask(String token, String name, String json, String... headers) {
        return postJson("/__runner/task/" + name, json, withBearer(token, headers));
    }

    /** {@code query} is appended as is: "" or "?wait=20". */
    public Response getTask(String token, String taskId, String query) {
        return get("/__runner/tasks/" + taskId + query, bearer(token));
    }

    public static JsonNode json(Response response) {
        return response.json();
    }

    private static String[] withBearer(String token, String[] headers) {
        String[] all = new String[headers.length + 2];
        System.arraycopy(bearer(token), 0, all, 0, 2);
        System.arraycopy(headers, 0, all, 2, headers.length);
        return all;
    }

    private HttpRequest request(String method, String path, String contentType, String body, String[] headers) {
        return builder(path, contentType, headers)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private HttpRequest.Builder builder(String path, String contentType, String[] headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i < defaultHeaders.length; i += 2) {
            request.header(defaultHeaders[i], defaultHeaders[i + 1]);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request;
    }

    /** One answer: status, headers, body, and the body as JSON. */
    public record Response(HttpResponse<String> raw) {
        public int statusCode() {
            return raw.statusCode();
        }

        public String body() {
            return raw.body();
        }

        public HttpHeaders headers() {
            return raw.headers();
        }

        /** The first value of a header, or null. */
        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public JsonNode json() {
            try {
                return Json.mapper().readTree(raw.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + raw.statusCode() + "): " + raw.body(), e);
            }
        }

        /** Asserts the documented error shape: {@code {"ok":false,"error":{code,codeName,message},"request_id"}}. */
        public JsonNode assertError(int status, String codeName) {
            assertEquals(status, statusCode(), this::toString);
            JsonNode body = json();
            assertFalse(body.path("ok").asBoolean(true), this::toString);
            JsonNode error = body.path("error");
            assertEquals(status, error.path("code").asInt(), this::toString);
            assertEquals(codeName, error.path("codeName").asText(), this::toString);
            assertTrue(error.hasNonNull("message"), this::toString);
            assertTrue(body.hasNonNull("request_id"), this::toString);
            return error;
        }

        @Override
        public String toString() {
            return raw.statusCode() + " " + raw.body();
        }
    }
}
