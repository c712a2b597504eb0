package io.taskgate.launcher.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.schemas.json.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * The admin API over HTTP, as the CLI uses it: one request, its answer, or an {@link AdminException}
 * whose message is the one line a person needs (the HTTP status, the error's codeName and message).
 * The token goes only into the Authorization header, never into a message.
 */
final class AdminClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Long enough for a held request ({@code ?wait=30}) and then some. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(45);
    private static final int MAX_BODY_IN_MESSAGE = 200;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final URI base;
    private final String token;

    AdminClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    JsonNode getJson(String path) {
        return json(send(request(path).GET()));
    }

    String getText(String path) {
        return send(request(path).GET()).body();
    }

    JsonNode postJson(String path, Object body) {
        return json(send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(write(body)))));
    }

    JsonNode put(String path, String contentType, String body) {
        return json(send(request(path).header("Content-Type", contentType).PUT(HttpRequest.BodyPublishers.ofString(body))));
    }

    JsonNode delete(String path) {
        return json(send(request(path).DELETE()));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json");
        if (token != null && !token.isEmpty()) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private HttpResponse<String> send(HttpRequest.Builder builder) {
        HttpRequest request = builder.build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new AdminException("cannot reach " + base + " (is TASKGATE_URL right and ingress running?)");
        } catch (HttpTimeoutException e) {
            throw new AdminException(base + " did not answer within " + REQUEST_TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            throw new AdminException("cannot reach " + base + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException("interrupted");
        }
        if (response.statusCode() >= 400) {
            throw new AdminException(describe(response));
        }
        return response;
    }

    /** {@code HTTP 404 NOT_FOUND: no agent agt_1}, or the status and the start of a body not in the error shape. */
    static String describe(HttpResponse<String> response) {
        String status = "HTTP " + response.statusCode();
        try {
            JsonNode error = Json.mapper().readTree(response.body()).path("error");
            if (error.hasNonNull("codeName")) {
                String retry = error.hasNonNull("retry_after_s") ? " (retry after " + error.get("retry_after_s").asLong() + " s)" : "";
                return status + " " + error.get("codeName").asText() + ": " + error.path("message").asText() + retry;
            }
        } catch (JsonProcessingException e) {
            // Not JSON: said below as it came.
        }
        String body = response.body().strip().replaceAll("\\s+", " ");
        return body.isEmpty() ? status : status + ": " + body.substring(0, Math.min(body.length(), MAX_BODY_IN_MESSAGE));
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.mapper().readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new AdminException("HTTP " + response.statusCode() + ": the answer is not JSON");
        }
    }

    private static String write(Object body) {
        try {
            return Json.mapper().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a request body always serializes", e);
        }
    }
}
