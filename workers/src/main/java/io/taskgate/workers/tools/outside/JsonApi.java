package io.taskgate.workers.tools.outside;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.schemas.json.Json;
import io.taskgate.tool.api.ToolException;
import io.taskgate.workers.tools.http.CappedBody;
import io.taskgate.workers.tools.http.RetryAfter;
import io.taskgate.workers.tools.http.TargetGuard;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Calls an outside JSON API for a tool and sorts its answer: a {@code 2xx} JSON body is the
 * result; {@code 429} and {@code 5xx} are retryable, with the server's {@code Retry-After}; a
 * {@code 408} too; any other {@code 4xx} is final; a body that is not JSON is a broken answer,
 * retried. The host passes the address guard first (loopback and private addresses are refused
 * unless allowed). Error messages name the tool and status, never the request, which may carry a key.
 */
public final class JsonApi {
    /** Larger answers are refused, and not read further: a tool result has to fit in one Kafka record. */
    static final int MAX_ANSWER_BYTES = 1024 * 1024;
    private static final int MAX_DETAIL_CHARS = 300;

    private final String task;
    private final HttpClient client;
    private final TargetGuard guard;
    private final Executor resolverExecutor;
    private final Duration timeout;
    private final Clock clock;

    /**
     * @param task             the task name errors are reported under, such as {@code openai.chat}
     * @param resolverExecutor where the guard's blocking name lookups run
     */
    public JsonApi(String task, HttpClient client, TargetGuard guard, Executor resolverExecutor, Duration timeout, Clock clock) {
        this.task = task;
        this.client = client;
        this.guard = guard;
        this.resolverExecutor = resolverExecutor;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** The client these calls need: no redirects (a redirect could lead past the guard), a connect timeout. */
    public static HttpClient newClient(Duration timeout) {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
    }

    public CompletableFuture<JsonNode> send(HttpRequest.Builder request, URI uri) {
        HttpRequest built = request.uri(uri).timeout(timeout).header("Accept", "application/json").build();
        return CompletableFuture.runAsync(() -> checkHost(uri.getHost()), resolverExecutor)
                .thenCompose(checked -> client.sendAsync(built, info -> new CappedBody(MAX_ANSWER_BYTES)))
                .thenApply(this::answer);
    }

    private void checkHost(String host) {
        try {
            guard.check(host);
        } catch (ToolException e) {
            throw ToolException.refused(task + " may not call its configured service at " + host + ": " + e.getMessage());
        }
    }

    private JsonNode answer(HttpResponse<CappedBody.Body> response) {
        int status = response.statusCode();
        byte[] body = response.body().bytes();
        if (status == 429 || status == 408 || status >= 500) {
            Optional<Duration> retryAfter = response.headers().firstValue("retry-after")
                    .flatMap(value -> RetryAfter.parse(value, clock.instant()));
            throw ToolException.transientFailure(task + ": the service answered " + status + detail(body), retryAfter.orElse(null));
        }
        if (status == 401 || status == 403) {
            // The service's words may quote the key it refused.
            throw ToolException.failed(task + ": the service refused the credentials (" + status + "); check the tool secret");
        }
        if (status >= 300) {
            throw ToolException.failed(task + ": the service answered " + status + detail(body));
        }
        if (response.body().truncated()) {
            throw ToolException.failed(task + ": the answer is larger than the limit of " + MAX_ANSWER_BYTES + " bytes");
        }
        try {
            JsonNode json = Json.mapper().readTree(body);
            if (json == null || json.isMissingNode() || !json.isObject()) {
                throw ToolException.transientFailure(task + ": the service answered " + status + " without a JSON object", null);
            }
            return json;
        } catch (IOException e) {
            throw ToolException.transientFailure(task + ": the service answered " + status + " with a body that is not JSON", null);
        }
    }

    /** The service's own error message, when its body has one, shortened. */
    private static String detail(byte[] body) {
        try {
            JsonNode json = Json.mapper().readTree(body);
            JsonNode error = json == null ? null : json.get("error");
            String message = error == null ? null
                    : error.isTextual() ? error.asText()
                    : error.path("message").isTextual() ? error.path("message").asText() : null;
            if (message == null || message.isBlank()) {
                return "";
            }
            return ": " + (message.length() > MAX_DETAIL_CHARS ? message.substring(0, MAX_DETAIL_CHARS) + "..." : message);
        } catch (IOException e) {
            return "";
        }
    }
}
