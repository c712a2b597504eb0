package io.taskgate.workers.tools.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskgate.platform.tracing.TraceContext;
import io.taskgate.schemas.json.Json;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.workers.tools.Tool;
import io.taskgate.workers.tools.ToolException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * {@code http_fetch.get}: fetches a URL for a caller, result {@code {"status", "content_type",
 * "body", "truncated", "url"}}. Every hop, including each redirect (at most five, followed here
 * rather than by the client so each is checked), passes the {@link TargetGuard} first. A 429 or
 * 5xx answer is a retryable failure carrying the server's {@code Retry-After}; other statuses are
 * results for the caller to judge.
 */
public final class HttpFetchTool implements Tool {
    public static final String NAME = "http_fetch";
    static final int MAX_BODY_BYTES = 1024 * 1024;
    static final int MAX_REDIRECTS = 5;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final String USER_AGENT = "taskgate-http-fetch";

    private final HttpClient client;
    private final TargetGuard guard;
    private final Executor resolverExecutor;
    private final Duration requestTimeout;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param client           a client that does not follow redirects itself
     * @param resolverExecutor where the guard's blocking name lookups run
     */
    public HttpFetchTool(HttpClient client, TargetGuard guard, Executor resolverExecutor, Duration requestTimeout, Clock clock) {
        if (client.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("http_fetch follows redirects itself, to check every hop");
        }
        this.client = client;
        this.guard = guard;
        this.resolverExecutor = resolverExecutor;
        this.requestTimeout = requestTimeout;
        this.clock = clock;
    }

    /** The client http_fetch needs: redirects off, connect timeout as the request timeout. */
    public static HttpClient newClient(Duration timeout) {
        return HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .build();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> actions() {
        return Set.of("get");
    }

    @Override
    public CompletionStage<JsonNode> run(TaskMessage task) {
        FetchRequest request;
        try {
            request = FetchRequest.parse(task.input());
        } catch (ToolException e) {
            return CompletableFuture.failedFuture(e);
        }
        return fetch(request.uri(), traced(request.headers(), task.traceparent()), 0);
    }

    /**
     * The task's headers with a {@code traceparent} of its own span of the task's trace, so the
     * site fetched can join it; one the input named is replaced, since the trace is the gateway's.
     */
    private Map<String, String> traced(Map<String, String> headers, String traceparent) {
        Optional<TraceContext> trace = TraceContext.parse(traceparent);
        if (trace.isEmpty()) {
            return headers;
        }
        Map<String, String> all = new LinkedHashMap<>();
        headers.forEach((name, value) -> {
            if (!name.equalsIgnoreCase(TraceContext.HEADER) && !name.equalsIgnoreCase(TraceContext.STATE_HEADER)) {
                all.put(name, value);
            }
        });
        all.put(TraceContext.HEADER, trace.get().child(random).header());
        return all;
    }

    private CompletableFuture<JsonNode> fetch(URI uri, Map<String, String> headers, int redirects) {
        return CompletableFuture.runAsync(() -> guard.check(uri.getHost()), resolverExecutor)
                .thenCompose(checked -> client.sendAsync(request(uri, headers), this::subscriberFor))
                .thenCompose(response -> next(uri, headers, redirects, response));
    }

    private HttpRequest request(URI uri, Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).GET().timeout(requestTimeout);
        headers.forEach(builder::header);
        if (headers.keySet().stream().noneMatch(name -> name.equalsIgnoreCase("user-agent"))) {
            builder.header("User-Agent", USER_AGENT);
        }
        return builder.build();
    }

    private HttpResponse.BodySubscriber<CappedBody.Body> subscriberFor(HttpResponse.ResponseInfo info) {
        if (REDIRECTS.contains(info.statusCode()) || isRetryableStatus(info.statusCode())) {
            return BodySubscribers.replacing(CappedBody.Body.EMPTY);
        }
        return new CappedBody(MAX_BODY_BYTES);
    }

    private CompletableFuture<JsonNode> next(URI uri, Map<String, String> headers, int redirects,
                                             HttpResponse<CappedBody.Body> response) {
        int status = response.statusCode();
        Optional<String> location = response.headers().firstValue("location");
        if (REDIRECTS.contains(status) && location.isPresent()) {
            if (redirects >= MAX_REDIRECTS) {
                return CompletableFuture.failedFuture(
                        ToolException.failed("http_fetch stopped after " + MAX_REDIRECTS + " redirects"));
            }
            URI target = FetchRequest.redirectTarget(uri, location.get());
            // Caller headers may hold credentials meant for the first origin only.
            Map<String, String> nextHeaders = FetchRequest.sameOrigin(uri, target) ? headers : Map.of();
            return fetch(target, nextHeaders, redirects + 1);
        }
        if (isRetryableStatus(status)) {
            Optional<Duration> retryAfter = response.headers().firstValue("retry-after")
                    .flatMap(value -> RetryAfter.parse(value, clock.instant()));
            return CompletableFuture.failedFuture(ToolException.transientFailure(
                    "http_fetch got " + status + " from " + uri.getHost(), retryAfter.orElse(null)));
        }
        return CompletableFuture.completedFuture(result(uri, response));
    }

    private static boolean isRetryableStatus(int status) {
        return status == 429 || status >= 500;
    }

    private static JsonNode result(URI uri, HttpResponse<CappedBody.Body> response) {
        Optional<String> contentType = response.headers().firstValue("content-type");
        CappedBody.Body body = response.body();
        ObjectNode result = Json.mapper().createObjectNode();
        result.put("status", response.statusCode());
        result.put("content_type", contentType.orElse(null));
        result.put("body", new String(body.bytes(), charset(contentType)));
        result.put("truncated", body.truncated());
        result.put("url", uri.toString());
        return result;
    }

    private static Charset charset(Optional<String> contentType) {
        if (contentType.isEmpty()) {
            return StandardCharsets.UTF_8;
        }
        for (String parameter : contentType.get().split(";")) {
            String trimmed = parameter.trim();
            if (trimmed.toLowerCase(Locale.ROOT).startsWith("charset=")) {
                String name = trimmed.substring("charset=".length()).replace("\"", "");
                try {
                    return Charset.forName(name);
                } catch (IllegalArgumentException e) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }
}
