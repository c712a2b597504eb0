package io.taskgate.workers.tools.route;

import static io.taskgate.workers.tools.Tasks.json;
import static io.taskgate.workers.tools.Tasks.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.secrets.Secret;
import io.taskgate.platform.secrets.ToolSecrets;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.tasks.TaskRoute;
import io.taskgate.tool.api.ToolException;
import io.taskgate.workers.resilience.FailureClassifier;
import io.taskgate.workers.tools.http.TargetGuard;
import io.taskgate.workers.tools.outside.JsonApi;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backend behind a route, verifying the gateway's signature with the README's own code. */
class RouteToolTest {
    private static final String SECRET = "route-secret-for-tests";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Map<String, String>> received = new CopyOnWriteArrayList<>();
    private HttpServer backend;
    private String base;
    private volatile int status = 200;
    private volatile boolean healthy = true;
    private final AtomicInteger healthChecks = new AtomicInteger();
    @TempDir
    Path dataDir;

    @BeforeEach
    void startBackend() throws IOException {
        backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        backend.setExecutor(threads);
        backend.createContext("/", this::answer);
        backend.createContext("/health", exchange -> {
            healthChecks.incrementAndGet();
            exchange.sendResponseHeaders(healthy ? 200 : 503, -1);
            exchange.close();
        });
        backend.start();
        base = "http://127.0.0.1:" + backend.getAddress().getPort() + "/";
    }

    @AfterEach
    void stop() {
        backend.stop(0);
        threads.shutdownNow();
    }

    private void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        boolean verified;
        try {
            verified = GatewaySignatureVerifier.verify(SECRET, exchange.getRequestHeaders().getFirst("X-Gateway-Timestamp"),
                    exchange.getRequestHeaders().getFirst("X-Gateway-Signature"), body, Instant.now().getEpochSecond());
        } catch (Exception e) {
            verified = false;
        }
        received.add(Map.of("path", exchange.getRequestURI().getPath(), "body", body,
                "idempotency", String.valueOf(exchange.getRequestHeaders().getFirst("Idempotency-Key")),
                "region", String.valueOf(exchange.getRequestHeaders().getFirst("X-Gateway-Region")),
                "verified", Boolean.toString(verified)));
        int code = verified ? status : 401;
        byte[] answer = (code == 200 ? "{\"created\": " + json(body).path("input").path("n").asInt() + "}" : "{\"error\": \"no\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    @Test
    void shouldForwardASignedTaskThatTheBackendVerifies() throws Exception {
        JsonNode result = tool(SECRET).run(routed("{\"n\": 7}")).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertEquals(json("{\"created\": 7}"), result);
        Map<String, String> call = received.get(0);
        assertEquals("/users.create", call.get("path"));
        assertEquals("true", call.get("verified"));
        assertEquals("tsk_1", call.get("idempotency"));
        assertEquals("eu-west", call.get("region"));
        assertEquals(json("{\"task_id\": \"tsk_1\", \"name\": \"users.create\", \"agent_id\": \"agt_test\", \"input\": {\"n\": 7}}"),
                json(call.get("body")));
    }

    @Test
    void shouldFailAtOnceWhenTheBackendRefusesAndRetryWhenItIsDown() {
        ToolException refused = failure(tool("a-wrong-secret").run(routed("{\"n\": 1}")));
        assertFalse(refused.retryable(), "401: the backend refused the signature; retrying would not help");

        status = 503;
        ToolException down = failure(tool(SECRET).run(routed("{\"n\": 1}")));
        assertTrue(FailureClassifier.isRetryable(down), "5xx is retried");
        status = 429;
        assertTrue(FailureClassifier.isRetryable(failure(tool(SECRET).run(routed("{\"n\": 1}")))), "429 is retried");
        status = 404;
        assertFalse(failure(tool(SECRET).run(routed("{\"n\": 1}"))).retryable(), "other 4xx fail at once");
    }

    @Test
    void shouldFailTasksAtOnceWhileTheBackendFailsItsHealthCheck() throws Exception {
        healthy = false;
        RouteTool tool = tool(SECRET);

        ToolException first = failure(tool.run(routedWithHealth("{\"n\": 1}")));
        ToolException second = failure(tool.run(routedWithHealth("{\"n\": 2}")));

        assertEquals(ErrorCode.BACKEND_UNAVAILABLE, first.code());
        assertFalse(first.retryable(), "failed fast, not retried against a dead backend");
        assertEquals(ErrorCode.BACKEND_UNAVAILABLE, second.code());
        assertEquals(1, healthChecks.get(), "one probe serves the tasks of the next few seconds");
        assertTrue(received.isEmpty(), "no task reached the unhealthy backend");

        healthy = true;
        RouteTool fresh = tool(SECRET);
        assertEquals(json("{\"created\": 3}"), fresh.run(routedWithHealth("{\"n\": 3}")).toCompletableFuture().get(10, TimeUnit.SECONDS));
    }

    @Test
    void shouldRejectATamperedOrStaleRequestInTheReadmesVerifier() throws Exception {
        long now = Instant.now().getEpochSecond();
        String timestamp = Long.toString(now);
        String signature = RouteSignature.sign(new Secret(SECRET), timestamp, "{\"a\":1}");

        assertTrue(GatewaySignatureVerifier.verify(SECRET, timestamp, signature, "{\"a\":1}", now));
        assertFalse(GatewaySignatureVerifier.verify(SECRET, timestamp, signature, "{\"a\":2}", now));
        assertFalse(GatewaySignatureVerifier.verify(SECRET, timestamp, signature, "{\"a\":1}", now + 600));
    }

    @Test
    void shouldShowInTheReadmeExactlyTheVerifierThisTestRuns() throws IOException {
        Path source = Path.of("src/test/java/io/taskgate/workers/tools/route/GatewaySignatureVerifier.java");
        String code = Files.readString(source).replaceFirst("package [^;]+;\\s*", "");
        String readme = Files.readString(Path.of("..", "README.md"));

        assertTrue(readme.contains(code), "README's route section must show GatewaySignatureVerifier.java verbatim");
    }

    private RouteTool tool(String secret) {
        ToolSecrets secrets = ToolSecrets.load(ConfigSource.of(Map.of(Setting.DATA_DIR, dataDir.toString())),
                Map.of("TASKGATE_SECRET_USERS_BACKEND", secret));
        JsonApi api = new JsonApi("route", JsonApi.newClient(TIMEOUT), TargetGuard.allowAll(), threads, TIMEOUT, Clock.systemUTC());
        return new RouteTool(api, JsonApi.newClient(TIMEOUT), TargetGuard.allowAll(), threads, TIMEOUT, secrets, "eu-west",
                Clock.systemUTC());
    }

    private TaskMessage routed(String input) {
        return task("tsk_1", "users.create", input).withRoute(new TaskRoute(base, "users_backend"));
    }

    private TaskMessage routedWithHealth(String input) {
        return task("tsk_1", "users.create", input).withRoute(new TaskRoute(base, "users_backend", "/health"));
    }

    private static ToolException failure(java.util.concurrent.CompletionStage<JsonNode> run) {
        try {
            JsonNode value = run.toCompletableFuture().get(10, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + value);
        } catch (ExecutionException e) {
            return assertInstanceOf(ToolException.class, e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
