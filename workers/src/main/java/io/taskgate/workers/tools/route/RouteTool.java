package io.taskgate.workers.tools.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskgate.platform.secrets.Secret;
import io.taskgate.platform.secrets.ToolSecrets;
import io.taskgate.schemas.json.Json;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.tasks.TaskRoute;
import io.taskgate.tool.api.Tool;
import io.taskgate.tool.api.ToolException;
import io.taskgate.workers.tools.outside.JsonApi;
import java.net.URI;
import java.net.URISyntaxException;
import io.taskgate.workers.tools.http.TargetGuard;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Forwards a task the policy routes to a backend ({@code route:}): {@code POST <route>/<task name>}
 * with {@code {"task_id", "name", "agent_id", "input"}}, the task id as {@code Idempotency-Key},
 * and {@code X-Gateway-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">} keyed by the
 * route's tool secret, so the backend can tell the call came from the gateway. A {@code 2xx} JSON
 * answer is the result; {@code 408}, {@code 429} and {@code 5xx} are retried, any other {@code 4xx}
 * fails the task at once ({@link JsonApi}). A route with a {@code health:} path fails its tasks at
 * once with BACKEND_UNAVAILABLE while the backend fails that check ({@link BackendHealth}).
 */
public final class RouteTool implements Tool {
    public static final String NAME = "route";

    private final JsonApi api;
    private final BackendHealth health;
    private final ToolSecrets secrets;
    private final String region;
    private final Clock clock;

    /**
     * @param healthClient     probes the health checks of routes that have one
     * @param resolverExecutor where the address guard's blocking lookups of health checks run
     */
    public RouteTool(JsonApi api, HttpClient healthClient, TargetGuard guard, Executor resolverExecutor, Duration timeout,
                     ToolSecrets secrets, String region, Clock clock) {
        this.api = api;
        this.health = new BackendHealth(healthClient, guard, resolverExecutor, timeout, clock);
        this.secrets = secrets;
        this.region = region;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** None of its own: it runs whatever task names the policy routes. */
    @Override
    public Set<String> actions() {
        return Set.of();
    }

    @Override
    public CompletionStage<JsonNode> run(TaskMessage task) {
        TaskRoute route = task.route();
        if (route == null) {
            return CompletableFuture.failedFuture(ToolException.failed("task " + task.name() + " has no route"));
        }
        Optional<Secret> secret = route.secret() == null ? Optional.empty() : secrets.get(route.secret());
        if (route.secret() != null && secret.isEmpty()) {
            return CompletableFuture.failedFuture(ToolException.failed(
                    "the route of " + task.name() + " is signed with tool secret '" + route.secret() + "', which is not set"));
        }
        URI target;
        try {
            target = new URI(route.url().replaceAll("/+$", "") + "/" + task.name());
        } catch (URISyntaxException e) {
            return CompletableFuture.failedFuture(ToolException.failed("the route of " + task.name() + " is not a valid URL"));
        }
        ObjectNode forwarded = Json.mapper().createObjectNode();
        forwarded.put("task_id", task.taskId());
        forwarded.put("name", task.name());
        forwarded.put("agent_id", task.agentId());
        forwarded.set("input", task.input());
        String body = forwarded.toString();
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        HttpRequest.Builder request = HttpRequest.newBuilder()
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", task.taskId())
                .header("X-Gateway-Region", region)
                .header("X-Gateway-Timestamp", timestamp);
        if (task.requestId() != null) {
            request.header("X-Request-Id", task.requestId());
        }
        secret.ifPresent(key -> request.header("X-Gateway-Signature", RouteSignature.sign(key, timestamp, body)));
        if (route.health() == null) {
            return api.send(request, target);
        }
        URI healthUrl = URI.create(route.url().replaceAll("/+$", "") + route.health());
        return health.isHealthy(healthUrl).thenCompose(healthy -> healthy
                ? api.send(request, target)
                : CompletableFuture.failedFuture(ToolException.backendUnavailable("the backend of " + task.name()
                        + " fails its health check " + route.health() + "; try again later")));
    }
}
