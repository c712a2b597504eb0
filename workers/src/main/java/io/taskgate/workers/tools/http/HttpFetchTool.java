package io.taskgate.workers.tools.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskgate.platform.tracing.TraceContext;
import io.taskgate.schemas.json.Json;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.tool.api.Tool;
import io.taskgate.tool.api.ToolException;
import java.net.URI;
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
 * {@code http_fetch.get} and {@code http_fetch.post}: fetches a URL for a caller, result
 * {@code {"status", "content_type", "body", "truncated", "url"}}. Every hop, including each
 * redirect (at most five, followed here rather than by the client so each is checked), passes the
 * policy's blocked domains for the task and the {@link TargetGuard} first. A 429 or
 * 5xx answer is a retryable failure carrying the server's {@code Retry-After}; other statuses are
 * results for the caller to judge.
 */
public final class HttpFetchTool implements Tool {
    public static final String NAME = "http_fetch";
    static final int MAX_BODY_BYTES = 1024 * 1024;
    static final int MAX_REDIRECTS = 5;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final String USER_AGENT = "taskgate-http-fetch";

    private final FetchClient client;
    private final TargetGuard guard;
    private final Executor resolverExecutor;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param client           connects only to addresses the guard checked
     * @param resolverExecutor where the guard's blocking name lookups run
     */
    public HttpFetchTool(FetchClient client, TargetGuard guard, Executor resolverExecutor, Clock clock) {
        this.client = client;
        this.guard = guard;
        this.resolverExecutor = resolverExecutor;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> actions() {
        return Set.of("get", "post");
    }

    @Override
    public CompletionStage<JsonNode> run(TaskMessage task) {
        FetchRequest request;
        BlockedDomains blocked = new BlockedDomains(task.blockedDomains());
        try {
            request = FetchRequest.parse(task.input(), task.taskName().action().equals("post") ? "POST" : "GET");
            checkNotBlocked(blocked, request.uri());
        } catch (ToolException e) {
            return CompletableFuture.failedFuture(e);
        }
        return fetch(traced(request, task.traceparent()), blocked, 0);
    }

    /**
     * The task's headers with a {@code traceparent} of its own span of the task's trace, so the
     * site fetched can join it; one the input named is replaced, since the trace is the gateway's.
     */
    private FetchRequest traced(FetchRequest request, String traceparent) {
        Optional<TraceContext> trace = TraceContext.parse(traceparent);
        if (trace.isEmpty()) {
            return request;
        }
        Map<String, String> all = new LinkedHashMap<>();
        request.headers().forEach((name, value) -> {
            if (!name.equalsIgnoreCase(TraceContext.HEADER) && !name.equalsIgnoreCase(TraceContext.STATE_HEADER)) {
                all.put(name, value);
            }
        });
        all.put(TraceContext.HEADER, trace.get().child(random).header());
        return new FetchRequest(request.uri(), all, request.method(), request.body());
    }

    private static void checkNotBlocked(BlockedDomains blocked, URI uri) {
        if (blocked.blocks(uri.getHost())) {
            throw ToolException.refused("http_fetch refuses " + uri.getHost() + ": the policy blocks that domain for this task");
        }
    }

    /** Resolves and checks the host once, then connects to exactly the addresses checked. */
    private CompletableFuture<JsonNode> fetch(FetchRequest request, BlockedDomains blocked, int redirects) {
        URI uri = request.uri();
        return CompletableFuture.supplyAsync(() -> guard.resolveChecked(uri.getHost()), resolverExecutor)
                .thenCompose(checked -> client.send(request, checked, MAX_BODY_BYTES, defaultHeaders(request)))
                .thenCompose(response -> next(request, blocked, redirects, response));
    }

    private static Map<String, String> defaultHeaders(FetchRequest request) {
        return request.headers().keySet().stream().anyMatch(name -> name.equalsIgnoreCase("user-agent"))
                ? Map.of() : Map.of("User-Agent", USER_AGENT);
    }

    private CompletableFuture<JsonNode> next(FetchRequest request, BlockedDomains blocked, int redirects,
                                             FetchResponse response) {
        URI uri = request.uri();
        int status = response.status();
        Optional<String> location = response.location();
        if (REDIRECTS.contains(status) && location.isPresent()) {
            if (redirects >= MAX_REDIRECTS) {
                return CompletableFuture.failedFuture(
                        ToolException.failed("http_fetch stopped after " + MAX_REDIRECTS + " redirects"));
            }
            URI target;
            try {
                target = FetchRequest.redirectTarget(uri, location.get());
                if (blocked.blocks(target.getHost())) {
                    throw ToolException.refused("http_fetch refuses the redirect to " + target.getHost()
                            + ": the policy blocks that domain for this task");
                }
            } catch (ToolException e) {
                return CompletableFuture.failedFuture(e);
            }
            return fetch(request.redirectedTo(target, status), blocked, redirects + 1);
        }
        if (isRetryableStatus(status)) {
            Optional<Duration> retryAfter = response.retryAfter().flatMap(value -> RetryAfter.parse(value, clock.instant()));
            return CompletableFuture.failedFuture(ToolException.transientFailure(
                    "http_fetch got " + status + " from " + uri.getHost(), retryAfter.orElse(null)));
        }
        return CompletableFuture.completedFuture(result(uri, response));
    }

    private static boolean isRetryableStatus(int status) {
        return status == 429 || status >= 500;
    }

    private static JsonNode result(URI uri, FetchResponse response) {
        Optional<String> contentType = response.contentType();
        ObjectNode result = Json.mapper().createObjectNode();
        result.put("status", response.status());
        result.put("content_type", contentType.orElse(null));
        result.put("body", new String(response.body(), charset(contentType)));
        result.put("truncated", response.truncated());
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
