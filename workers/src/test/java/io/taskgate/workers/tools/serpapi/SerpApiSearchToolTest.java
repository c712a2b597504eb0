package io.taskgate.workers.tools.serpapi;

import static io.taskgate.workers.tools.Tasks.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.secrets.Secret;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.tool.api.ToolException;
import io.taskgate.workers.resilience.Attempted;
import io.taskgate.platform.concurrent.Futures;
import io.taskgate.workers.resilience.FailureClassifier;
import io.taskgate.workers.tools.Tasks;
import io.taskgate.workers.tools.http.TargetGuard;
import io.taskgate.workers.tools.outside.FakeApiServer;
import io.taskgate.workers.tools.outside.FakeApiServer.Answer;
import io.taskgate.workers.tools.outside.JsonApi;
import io.taskgate.workers.tools.outside.OutsideTarget;
import io.taskgate.workers.tools.outside.ToolCalls;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerpApiSearchToolTest {
    private static final String ANSWER = """
            {"search_metadata": {"status": "Success"}, "search_parameters": {"q": "kafka"},
             "organic_results": [{"position": 1, "title": "Apache Kafka", "link": "https://kafka.apache.org/"}]}""";

    private final FakeApiServer server = new FakeApiServer();
    private final ExecutorService resolvers = Executors.newCachedThreadPool();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

    @AfterEach
    void stop() {
        server.close();
        resolvers.shutdownNow();
        scheduler.shutdownNow();
    }

    @Test
    void shouldSearchWithTheKeyAndReturnSerpApisAnswer() throws Exception {
        server.answer(Answer.json(200, ANSWER));

        JsonNode result = tool(Optional.of(new Secret("serp-key-123")))
                .run(task("tsk_1", "serpapi.search", "{\"q\": \"kafka streams\", \"num\": 5, \"hl\": \"en\"}"))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertEquals(Tasks.json(ANSWER), result);
        FakeApiServer.Received request = server.received().get(0);
        assertEquals("GET", request.method());
        assertEquals("/search.json", request.path());
        Map<String, String> query = query(request.rawQuery());
        assertEquals(Map.of("q", "kafka streams", "engine", "google", "num", "5", "hl", "en", "output", "json",
                "api_key", "serp-key-123"), query);
    }

    @Test
    void shouldFailWithBadRequestNamingQWhenItIsMissing() {
        assertBadInput("{\"engine\": \"bing\"}", "q is required");
        assertBadInput("{\"q\": \"\"}", "q is required");
        assertBadInput("{\"q\": \"x\", \"api_key\": \"mine\"}", "api_key is set by the gateway");
        assertBadInput("{\"q\": \"x\", \"location\": {\"city\": \"Oslo\"}}", "location must be a string");
        assertTrue(server.received().isEmpty());
    }

    @Test
    void shouldFailClearlyWithoutItsSecret() {
        server.answer(Answer.json(200, ANSWER));
        Throwable failure = unwrapFailure(tool(Optional.empty()).run(task("tsk_1", "serpapi.search", "{\"q\": \"x\"}")));

        ToolException error = assertInstanceOf(ToolException.class, failure);
        assertFalse(error.retryable());
        assertTrue(error.getMessage().contains("TASKGATE_SECRET_SERPAPI_API_KEY"), error.getMessage());
        assertTrue(server.received().isEmpty());
    }

    @Test
    void shouldRetryAfterA503AndSucceed() throws Exception {
        server.answer(Answer.text(503, "busy"), Answer.json(200, ANSWER));

        Attempted<JsonNode> outcome = ToolCalls.run(tool(Optional.of(new Secret("k"))),
                task("tsk_1", "serpapi.search", "{\"q\": \"x\"}"), ToolCalls.fastPolicy("serpapi", 3, Duration.ofSeconds(5)), scheduler);

        assertTrue(outcome.succeeded(), () -> "failed with " + outcome.failure());
        assertEquals(2, outcome.attempts());
    }

    @Test
    void shouldFailAtOnceOnAnInvalidKeyWithoutLeakingIt() throws Exception {
        server.answer(Answer.json(401, "{\"error\": \"Invalid API key. Your API key should be here: secret-k\"}"));

        Attempted<JsonNode> outcome = ToolCalls.run(tool(Optional.of(new Secret("secret-k"))),
                task("tsk_1", "serpapi.search", "{\"q\": \"x\"}"), ToolCalls.fastPolicy("serpapi", 3, Duration.ofSeconds(5)), scheduler);

        assertEquals(1, outcome.attempts());
        String message = FailureClassifier.toError(outcome.failure()).message();
        assertFalse(message.contains("secret-k"), message);
        assertEquals(ErrorCode.TOOL_FAILED, FailureClassifier.toError(outcome.failure()).kind());
    }

    private void assertBadInput(String input, String expected) {
        ToolException error = assertInstanceOf(ToolException.class,
                unwrapFailure(tool(Optional.of(new Secret("k"))).run(task("tsk_1", "serpapi.search", input))));
        assertEquals(ErrorCode.BAD_REQUEST, error.code());
        assertTrue(error.getMessage().contains(expected), error.getMessage());
    }

    private static Throwable unwrapFailure(java.util.concurrent.CompletionStage<JsonNode> stage) {
        return stage.toCompletableFuture().handle((result, error) -> Futures.unwrap(error)).join();
    }

    private static Map<String, String> query(String raw) {
        return Arrays.stream(raw.split("&")).map(pair -> pair.split("=", 2)).collect(Collectors.toMap(
                pair -> URLDecoder.decode(pair[0], StandardCharsets.UTF_8), pair -> URLDecoder.decode(pair[1], StandardCharsets.UTF_8)));
    }

    private SerpApiSearchTool tool(Optional<Secret> key) {
        OutsideTarget target = OutsideTarget.from(ConfigSource.of(Map.of(Setting.SERPAPI_URL, server.baseUrl(""))), Setting.SERPAPI_URL);
        JsonApi api = new JsonApi("serpapi.search", JsonApi.newClient(Duration.ofSeconds(5)), TargetGuard.allowAll(), resolvers,
                Duration.ofSeconds(5), Clock.systemUTC());
        return new SerpApiSearchTool(api, target, key);
    }
}
