package io.taskgate.workers.tools.http;

import static io.taskgate.workers.tools.Tasks.json;
import static io.taskgate.workers.tools.Tasks.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.json.Json;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.tool.api.ToolException;
import io.taskgate.workers.resilience.Attempted;
import io.taskgate.workers.resilience.FailureClassifier;
import io.taskgate.workers.resilience.ToolPolicy;
import io.taskgate.workers.resilience.ToolResilience;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpFetchToolTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ExecutorService serverThreads = Executors.newCachedThreadPool();
    private final ExecutorService resolvers = Executors.newCachedThreadPool();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final CountDownLatch releaseSlowServer = new CountDownLatch(1);
    private final FetchClient client = FetchClient.start(TIMEOUT);
    private HttpServer server;
    private String base;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(serverThreads);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        releaseSlowServer.countDown();
        server.stop(0);
        serverThreads.shutdownNow();
        resolvers.shutdownNow();
        scheduler.shutdownNow();
        client.close();
    }

    @Test
    void shouldFetchStatusContentTypeAndBody() throws Exception {
        serve("/hello", exchange -> respond(exchange, 200, "text/plain; charset=utf-8", "hello ✓"));

        JsonNode result = fetch(tool(TargetGuard.allowAll()), base + "/hello").get(10, TimeUnit.SECONDS);

        assertEquals(200, result.get("status").asInt());
        assertEquals("text/plain; charset=utf-8", result.get("content_type").asText());
        assertEquals("hello ✓", result.get("body").asText());
        assertFalse(result.get("truncated").asBoolean());
    }

    @Test
    void shouldReturnClientErrorsAsResultsWithoutRetrying() throws Exception {
        serve("/missing", exchange -> respond(exchange, 404, "text/plain", "no"));

        Attempted<JsonNode> outcome = fetchGuarded(tool(TargetGuard.allowAll()), base + "/missing", fastPolicy(3));

        assertTrue(outcome.succeeded());
        assertEquals(404, outcome.result().get("status").asInt());
        assertEquals(1, outcome.attempts());
        assertEquals(1, hits("/missing"));
    }

    @Test
    void shouldRetryServerErrorsAndThenSucceed() throws Exception {
        serve("/flaky", exchange -> {
            if (hits("/flaky") < 3) {
                respond(exchange, 503, "text/plain", "busy");
            } else {
                respond(exchange, 200, "application/json", "{\"ok\":true}");
            }
        });
        List<Integer> retried = new CopyOnWriteArrayList<>();

        Attempted<JsonNode> outcome = fetchGuarded(tool(TargetGuard.allowAll()), base + "/flaky", fastPolicy(3), retried);

        assertTrue(outcome.succeeded(), () -> "failed with " + outcome.failure());
        assertEquals(3, outcome.attempts());
        assertEquals(List.of(1, 2), retried);
        assertEquals("{\"ok\":true}", outcome.result().get("body").asText());
    }

    @Test
    void shouldGiveUpOnServerErrorsAfterMaxAttempts() throws Exception {
        serve("/down", exchange -> respond(exchange, 502, "text/plain", "bad gateway"));

        Attempted<JsonNode> outcome = fetchGuarded(tool(TargetGuard.allowAll()), base + "/down", fastPolicy(3));

        assertFalse(outcome.succeeded());
        assertEquals(3, hits("/down"));
        assertEquals(ErrorCode.TOOL_FAILED, FailureClassifier.toError(outcome.failure()).kind());
        assertTrue(FailureClassifier.isTransient(outcome.failure()), "exhausted retries go to the dead letters");
    }

    @Test
    void shouldWaitAsLongAsRetryAfterAsksOnTooManyRequests() throws Exception {
        List<Long> arrivals = new CopyOnWriteArrayList<>();
        serve("/limited", exchange -> {
            arrivals.add(System.nanoTime());
            if (arrivals.size() == 1) {
                exchange.getResponseHeaders().add("Retry-After", "1");
                respond(exchange, 429, "text/plain", "slow down");
            } else {
                respond(exchange, 200, "text/plain", "ok");
            }
        });

        Attempted<JsonNode> outcome = fetchGuarded(tool(TargetGuard.allowAll()), base + "/limited", fastPolicy(3));

        assertTrue(outcome.succeeded(), () -> "failed with " + outcome.failure());
        assertEquals(2, outcome.attempts());
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(arrivals.get(1) - arrivals.get(0));
        assertTrue(waitedMs >= 900, "second attempt came after Retry-After (1 s), not the 1 ms backoff: " + waitedMs + " ms");
    }

    @Test
    void shouldRefuseLoopbackWhenPrivateAddressesAreNotAllowed() throws Exception {
        serve("/internal", exchange -> respond(exchange, 200, "text/plain", "secret"));

        Attempted<JsonNode> outcome = fetchGuarded(tool(SsrfGuard.usingSystemResolver()), base + "/internal", fastPolicy(3));

        ToolException refused = assertInstanceOf(ToolException.class, outcome.failure());
        assertEquals(ErrorCode.DOMAIN_BLOCKED, refused.code());
        assertTrue(refused.getMessage().contains("loopback"), refused.getMessage());
        assertEquals(1, outcome.attempts(), "a refusal is never retried");
        assertEquals(0, hits("/internal"), "no request reached the server");
    }

    @Test
    void shouldRefuseARedirectToLoopback() throws Exception {
        int port = server.getAddress().getPort();
        serve("/start", exchange -> redirect(exchange, "http://localhost:" + port + "/secret"));
        serve("/secret", exchange -> respond(exchange, 200, "text/plain", "secret"));
        SsrfGuard strict = SsrfGuard.usingSystemResolver();
        // Stands in for a public first hop: only the redirect target meets the real policy.
        TargetGuard publicFirstHop = host -> {
            if (!host.equals("127.0.0.1")) {
                strict.check(host);
            }
        };

        ExecutionException failure = assertFailure(fetch(tool(publicFirstHop), base + "/start"));

        ToolException refused = assertInstanceOf(ToolException.class, failure.getCause());
        assertEquals(ErrorCode.DOMAIN_BLOCKED, refused.code());
        assertEquals(1, hits("/start"));
        assertEquals(0, hits("/secret"), "the redirect target was checked before it was fetched");
    }

    @Test
    void shouldConnectToTheAddressTheGuardCheckedWithoutResolvingAgain() throws Exception {
        int port = server.getAddress().getPort();
        List<String> hosts = new CopyOnWriteArrayList<>();
        serve("/pinned", exchange -> {
            hosts.add(exchange.getRequestHeaders().getFirst("Host"));
            respond(exchange, 200, "text/plain", "pinned");
        });
        AtomicInteger lookups = new AtomicInteger();
        // "pinned.invalid" resolves nowhere (RFC 6761): only the guard's answer can take the request to this server.
        TargetGuard pinnedToLoopback = new TargetGuard() {
            @Override
            public void check(String host) {
                resolveChecked(host);
            }

            @Override
            public List<InetAddress> resolveChecked(String host) {
                lookups.incrementAndGet();
                return List.of(InetAddress.getLoopbackAddress());
            }
        };

        JsonNode result = fetch(tool(pinnedToLoopback), "http://pinned.invalid:" + port + "/pinned").get(10, TimeUnit.SECONDS);

        assertEquals("pinned", result.get("body").asText());
        assertEquals(List.of("pinned.invalid:" + port), hosts, "the Host header names the host, not the address");
        assertEquals(1, lookups.get(), "one lookup, by the guard");
    }

    @Test
    void shouldRefuseARedirectIntoADomainThePolicyBlocks() throws Exception {
        int port = server.getAddress().getPort();
        serve("/start", exchange -> redirect(exchange, "http://LOCALHOST.:" + port + "/secret"));
        serve("/secret", exchange -> respond(exchange, 200, "text/plain", "secret"));
        ObjectNode input = Json.mapper().createObjectNode().put("url", base + "/start");
        TaskMessage task = task("tsk_1", "http_fetch.get", input.toString()).withBlockedDomains(List.of("localhost"));

        ExecutionException failure = assertFailure(tool(TargetGuard.allowAll()).run(task).toCompletableFuture());

        ToolException refused = assertInstanceOf(ToolException.class, failure.getCause());
        assertEquals(ErrorCode.DOMAIN_BLOCKED, refused.code());
        assertTrue(refused.getMessage().contains("policy blocks"), refused.getMessage());
        assertEquals(1, hits("/start"));
        assertEquals(0, hits("/secret"), "the blocked redirect target was never fetched");
    }

    @Test
    void shouldPostJsonAsJsonAndStringsAsTheyAre() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        serve("/echo", exchange -> {
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Content-Type") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            respond(exchange, 201, "text/plain", "made");
        });

        JsonNode json = post(base + "/echo", "{\"a\": [1, 2]}").get(10, TimeUnit.SECONDS);
        post(base + "/echo", "\"plain text\"").get(10, TimeUnit.SECONDS);

        assertEquals(201, json.get("status").asInt());
        assertEquals("made", json.get("body").asText());
        assertEquals(List.of("POST application/json {\"a\":[1,2]}", "POST null plain text"), received);
    }

    @Test
    void shouldRepeatAPostOn307ButFollowA303WithAGet() throws Exception {
        List<String> landed = new CopyOnWriteArrayList<>();
        serve("/keep", exchange -> {
            exchange.getResponseHeaders().add("Location", "/landing");
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });
        serve("/see-other", exchange -> {
            exchange.getResponseHeaders().add("Location", "/landing");
            exchange.sendResponseHeaders(303, -1);
            exchange.close();
        });
        serve("/landing", exchange -> {
            landed.add(exchange.getRequestMethod() + " " + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            respond(exchange, 200, "text/plain", "ok");
        });

        post(base + "/keep", "\"again\"").get(10, TimeUnit.SECONDS);
        post(base + "/see-other", "\"dropped\"").get(10, TimeUnit.SECONDS);

        assertEquals(List.of("POST again", "GET "), landed);
    }

    @Test
    void shouldFollowRedirectsButStopAfterFive() throws Exception {
        serve("/hop", exchange -> redirect(exchange, "/landing"));
        serve("/landing", exchange -> respond(exchange, 200, "text/plain", "landed"));
        serve("/loop", exchange -> redirect(exchange, "/loop"));

        JsonNode landed = fetch(tool(TargetGuard.allowAll()), base + "/hop").get(10, TimeUnit.SECONDS);
        assertEquals("landed", landed.get("body").asText());
        assertEquals(base + "/landing", landed.get("url").asText());

        ToolException tooMany = assertInstanceOf(ToolException.class, assertFailure(fetch(tool(TargetGuard.allowAll()), base + "/loop")).getCause());
        assertEquals(ErrorCode.TOOL_FAILED, tooMany.code());
        assertEquals(6, hits("/loop"), "the first request and five redirects");
    }

    @Test
    void shouldSendCallerHeadersOnlyToTheOriginalOrigin() throws Exception {
        int port = server.getAddress().getPort();
        List<String> authorizations = new CopyOnWriteArrayList<>();
        serve("/same", exchange -> redirect(exchange, "/landing"));
        serve("/elsewhere", exchange -> redirect(exchange, "http://localhost:" + port + "/landing"));
        serve("/landing", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            respond(exchange, 200, "text/plain", "ok");
        });
        ObjectNode headers = Json.mapper().createObjectNode().put("Authorization", "Bearer abc");

        fetch(tool(TargetGuard.allowAll()), base + "/same", headers).get(10, TimeUnit.SECONDS);
        fetch(tool(TargetGuard.allowAll()), base + "/elsewhere", headers).get(10, TimeUnit.SECONDS);

        assertEquals(List.of("Bearer abc", "null"), authorizations);
    }

    @Test
    void shouldCapTheBodyAtOneMebibyte() throws Exception {
        byte[] big = new byte[2 * HttpFetchTool.MAX_BODY_BYTES];
        Arrays.fill(big, (byte) 'a');
        serve("/big", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, big.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(big);
            } catch (IOException expected) {
                // The client hangs up once it has read enough.
            }
        });

        JsonNode result = fetch(tool(TargetGuard.allowAll()), base + "/big").get(10, TimeUnit.SECONDS);

        assertEquals(HttpFetchTool.MAX_BODY_BYTES, result.get("body").asText().length());
        assertTrue(result.get("truncated").asBoolean());
    }

    @Test
    void shouldTimeOutASlowServerAsARetryableFailure() throws Exception {
        serve("/slow", exchange -> {
            try {
                releaseSlowServer.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(exchange, 200, "text/plain", "late");
        });
        ExecutionException failure;
        try (FetchClient impatientClient = FetchClient.start(Duration.ofMillis(300))) {
            failure = assertFailure(fetch(new HttpFetchTool(impatientClient, TargetGuard.allowAll(), resolvers, Clock.systemUTC()),
                    base + "/slow"));
        }

        assertInstanceOf(SocketTimeoutException.class, failure.getCause());
        assertTrue(FailureClassifier.isRetryable(failure));
        assertEquals(ErrorCode.TIMEOUT, FailureClassifier.toError(failure).kind());
    }

    @Test
    void shouldRejectInputThatIsNotAPlainHttpRequest() {
        HttpFetchTool tool = tool(TargetGuard.allowAll());
        for (String input : List.of("{}", "{\"url\": 5}", "{\"url\": \"file:///etc/passwd\"}", "{\"url\": \"gopher://x/\"}",
                "{\"url\": \"http://user:pw@example.com/\"}", "{\"url\": \"http:///nohost\"}",
                "{\"url\": \"https://example.com\", \"headers\": {\"Host\": \"internal\"}}",
                "{\"url\": \"https://example.com\", \"headers\": {\"X-A\": \"1\\r\\nX-B: 2\"}}",
                "{\"url\": \"https://example.com\", \"headers\": [\"X-A\"]}")) {
            ExecutionException failure = assertFailure(tool.run(task("tsk_1", "http_fetch.get", input)).toCompletableFuture());
            ToolException bad = assertInstanceOf(ToolException.class, failure.getCause(), input);
            assertEquals(ErrorCode.BAD_REQUEST, bad.code(), input);
        }
    }

    private HttpFetchTool tool(TargetGuard guard) {
        return new HttpFetchTool(client, guard, resolvers, Clock.systemUTC());
    }

    private CompletableFuture<JsonNode> fetch(HttpFetchTool tool, String url) {
        return fetch(tool, url, null);
    }

    private CompletableFuture<JsonNode> fetch(HttpFetchTool tool, String url, ObjectNode headers) {
        ObjectNode input = Json.mapper().createObjectNode().put("url", url);
        if (headers != null) {
            input.set("headers", headers);
        }
        return tool.run(task("tsk_1", "http_fetch.get", input.toString())).toCompletableFuture();
    }

    private CompletableFuture<JsonNode> post(String url, String bodyJson) {
        ObjectNode input = Json.mapper().createObjectNode().put("url", url);
        input.set("body", json(bodyJson));
        return tool(TargetGuard.allowAll()).run(task("tsk_1", "http_fetch.post", input.toString())).toCompletableFuture();
    }

    private Attempted<JsonNode> fetchGuarded(HttpFetchTool tool, String url, ToolPolicy policy) throws Exception {
        return fetchGuarded(tool, url, policy, new CopyOnWriteArrayList<>());
    }

    private Attempted<JsonNode> fetchGuarded(HttpFetchTool tool, String url, ToolPolicy policy, List<Integer> retried)
            throws Exception {
        ToolResilience resilience = new ToolResilience(List.of(policy), scheduler, Clock.systemUTC(), Map.of());
        return resilience.<JsonNode>execute(HttpFetchTool.NAME, () -> fetch(tool, url), (attempt, failure) -> retried.add(attempt))
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static ToolPolicy fastPolicy(int attempts) {
        return ToolPolicy.standard(HttpFetchTool.NAME, TIMEOUT).withMaxAttempts(attempts)
                .withBackoff(Duration.ofMillis(1), Duration.ofSeconds(5));
    }

    private static ExecutionException assertFailure(CompletableFuture<JsonNode> result) {
        try {
            JsonNode value = result.get(20, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + value);
        } catch (ExecutionException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected a failure", e);
        }
    }

    private int hits(String path) {
        return hits.computeIfAbsent(path, p -> new AtomicInteger()).get();
    }

    private void serve(String path, HttpHandler handler) {
        server.createContext(path, exchange -> {
            if (!exchange.getRequestURI().getPath().equals(path)) {
                respond(exchange, 404, "text/plain", "");
                return;
            }
            hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            handler.handle(exchange);
        });
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().add("Location", location);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
