package io.taskgate.workers.tools.openai;

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
import io.taskgate.schemas.errors.ErrorDetail;
import io.taskgate.tool.api.ToolException;
import io.taskgate.workers.resilience.Attempted;
import io.taskgate.platform.concurrent.Futures;
import io.taskgate.workers.resilience.FailureClassifier;
import io.taskgate.workers.tools.Tasks;
import io.taskgate.workers.tools.http.SsrfGuard;
import io.taskgate.workers.tools.http.TargetGuard;
import io.taskgate.workers.tools.outside.FakeApiServer;
import io.taskgate.workers.tools.outside.FakeApiServer.Answer;
import io.taskgate.workers.tools.outside.FakeApiServer.Received;
import io.taskgate.workers.tools.outside.JsonApi;
import io.taskgate.workers.tools.outside.ToolCalls;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenAiChatToolTest {
    private static final String COMPLETION = """
            {"id": "chatcmpl-1", "object": "chat.completion", "model": "test-model-2024",
             "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello there"}, "finish_reason": "stop"}],
             "usage": {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15}}""";
    private static final String HELLO = "{\"messages\": [{\"role\": \"user\", \"content\": \"Say hello\"}]}";

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
    void shouldPostMessagesWithTheKeyAndReturnContentModelFinishReasonAndUsage() throws Exception {
        server.answer(Answer.json(200, COMPLETION));

        JsonNode result = tool(TargetGuard.allowAll()).run(task("tsk_1", "openai.chat", HELLO))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertEquals(Tasks.json("""
                {"content": "Hello there", "model": "test-model-2024", "finish_reason": "stop",
                 "usage": {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15}}"""), Tasks.json(result.toString()));
        Received request = server.received().get(0);
        assertEquals("POST", request.method());
        assertEquals("/v1/chat/completions", request.path());
        assertEquals("Bearer sk-test-key", request.header("Authorization"));
        JsonNode sent = Tasks.json(request.body());
        assertEquals("default-model", sent.get("model").asText());
        assertEquals("Say hello", sent.at("/messages/0/content").asText());
    }

    @Test
    void shouldSendTheTaskModelTemperatureAndMaxTokens() throws Exception {
        server.answer(Answer.json(200, COMPLETION));

        tool(TargetGuard.allowAll()).run(task("tsk_1", "openai.chat", """
                {"messages": [{"role": "user", "content": "x"}], "model": "other", "temperature": 0.5, "max_tokens": 7}"""))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);

        JsonNode sent = Tasks.json(server.received().get(0).body());
        assertEquals("other", sent.get("model").asText());
        assertEquals(0.5, sent.get("temperature").asDouble());
        assertEquals(7, sent.get("max_tokens").asInt());
    }

    @Test
    void shouldFailWithBadRequestNamingTheFieldWhenMessagesAreEmptyOrMissing() {
        assertBadInput("{\"messages\": []}", "messages must not be empty");
        assertBadInput("{\"prompt\": \"hi\"}", "messages must be a list");
        assertBadInput("{\"messages\": [{\"role\": \"wizard\", \"content\": \"x\"}]}", "messages[0].role");
        assertBadInput("{\"messages\": [{\"role\": \"user\"}]}", "messages[0].content");
        assertBadInput("{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"temperature\": 9}", "temperature");
        assertTrue(server.received().isEmpty(), "nothing is sent for bad input");
    }

    @Test
    void shouldRetryAServerErrorAndThenSucceed() throws Exception {
        server.answer(Answer.json(500, "{\"error\": {\"message\": \"overloaded\"}}"), Answer.json(200, COMPLETION));

        Attempted<JsonNode> outcome = ToolCalls.run(tool(TargetGuard.allowAll()), task("tsk_1", "openai.chat", HELLO),
                ToolCalls.fastPolicy("openai", 3, Duration.ofSeconds(5)), scheduler);

        assertTrue(outcome.succeeded(), () -> "failed with " + outcome.failure());
        assertEquals(2, outcome.attempts());
        assertEquals("Hello there", outcome.result().get("content").asText());
    }

    @Test
    void shouldWaitTheRetryAfterOfA429BeforeTheNextAttempt() throws Exception {
        server.answer(Answer.json(429, "{\"error\": {\"message\": \"slow down\"}}").withHeader("Retry-After", "1"),
                Answer.json(200, COMPLETION));

        Attempted<JsonNode> outcome = ToolCalls.run(tool(TargetGuard.allowAll()), task("tsk_1", "openai.chat", HELLO),
                ToolCalls.fastPolicy("openai", 3, Duration.ofSeconds(5)), scheduler);

        assertTrue(outcome.succeeded(), () -> "failed with " + outcome.failure());
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(server.received().get(1).atNanos() - server.received().get(0).atNanos());
        assertTrue(waitedMs >= 900, "the retry waited the server's Retry-After of 1 s, not the 10 ms backoff: " + waitedMs);
    }

    @Test
    void shouldRetryAnAnswerThatIsNotJsonAndFailWithTheReason() throws Exception {
        server.answer(Answer.text(200, "<html>gateway portal</html>"));

        Attempted<JsonNode> outcome = ToolCalls.run(tool(TargetGuard.allowAll()), task("tsk_1", "openai.chat", HELLO),
                ToolCalls.fastPolicy("openai", 2, Duration.ofSeconds(5)), scheduler);

        assertFalse(outcome.succeeded());
        assertEquals(2, outcome.attempts());
        ErrorDetail error = FailureClassifier.toError(outcome.failure());
        assertEquals(ErrorCode.TOOL_FAILED, error.kind());
        assertTrue(error.message().contains("not JSON"), error.message());
    }

    @Test
    void shouldRetryAJsonAnswerWithoutChoices() throws Exception {
        server.answer(Answer.json(200, "{\"unexpected\": true}"), Answer.json(200, COMPLETION));

        Attempted<JsonNode> outcome = ToolCalls.run(tool(TargetGuard.allowAll()), task("tsk_1", "openai.chat", HELLO),
                ToolCalls.fastPolicy("openai", 2, Duration.ofSeconds(5)), scheduler);

        assertTrue(outcome.succeeded(), () -> "failed with " + outcome.failure());
        assertEquals(2, outcome.attempts());
    }

    @Test
    void shouldStopReadingAnAnswerLargerThanTheLimitAndFailAtOnce() throws Exception {
        server.answer(Answer.json(200, "{\"padding\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}"));

        Attempted<JsonNode> outcome = ToolCalls.run(tool(TargetGuard.allowAll()), task("tsk_1", "openai.chat", HELLO),
                ToolCalls.fastPolicy("openai", 3, Duration.ofSeconds(5)), scheduler);

        assertEquals(1, outcome.attempts());
        assertTrue(FailureClassifier.toError(outcome.failure()).message().contains("larger than the limit"));
    }

    @Test
    void shouldTimeOutAServerThatHangsAndFailWithTimeout() throws Exception {
        server.answer(Answer.hanging());

        Attempted<JsonNode> outcome = ToolCalls.run(tool(TargetGuard.allowAll()), task("tsk_1", "openai.chat", HELLO),
                ToolCalls.fastPolicy("openai", 2, Duration.ofMillis(300)), scheduler);

        assertFalse(outcome.succeeded());
        assertEquals(2, outcome.attempts());
        assertInstanceOf(TimeoutException.class, outcome.failure());
        assertEquals(ErrorCode.TIMEOUT, FailureClassifier.toError(outcome.failure()).kind());
    }

    @Test
    void shouldFailAtOnceWhenTheKeyIsRefusedWithoutRepeatingTheServiceWords() throws Exception {
        server.answer(Answer.json(401, "{\"error\": {\"message\": \"Incorrect API key provided: sk-test-key\"}}"));

        Attempted<JsonNode> outcome = ToolCalls.run(tool(TargetGuard.allowAll()), task("tsk_1", "openai.chat", HELLO),
                ToolCalls.fastPolicy("openai", 3, Duration.ofSeconds(5)), scheduler);

        assertEquals(1, outcome.attempts());
        ErrorDetail error = FailureClassifier.toError(outcome.failure());
        assertTrue(error.message().contains("401"), error.message());
        assertFalse(error.message().contains("sk-test-key"), error.message());
    }

    @Test
    void shouldFailAtOnceOnAClientErrorWithTheServiceMessage() throws Exception {
        server.answer(Answer.json(400, "{\"error\": {\"message\": \"model not found\"}}"));

        Attempted<JsonNode> outcome = ToolCalls.run(tool(TargetGuard.allowAll()), task("tsk_1", "openai.chat", HELLO),
                ToolCalls.fastPolicy("openai", 3, Duration.ofSeconds(5)), scheduler);

        assertEquals(1, outcome.attempts());
        assertTrue(FailureClassifier.toError(outcome.failure()).message().contains("400: model not found"));
    }

    @Test
    void shouldRefuseALoopbackBaseUrlUnlessPrivateAddressesAreAllowed() throws Exception {
        server.answer(Answer.json(200, COMPLETION));

        Attempted<JsonNode> outcome = ToolCalls.run(tool(SsrfGuard.usingSystemResolver()), task("tsk_1", "openai.chat", HELLO),
                ToolCalls.fastPolicy("openai", 3, Duration.ofSeconds(5)), scheduler);

        assertEquals(1, outcome.attempts());
        assertEquals(ErrorCode.DOMAIN_BLOCKED, FailureClassifier.toError(outcome.failure()).kind());
        assertTrue(server.received().isEmpty());
    }

    private void assertBadInput(String input, String expected) {
        Throwable failure = tool(TargetGuard.allowAll()).run(task("tsk_1", "openai.chat", input))
                .toCompletableFuture().handle((result, error) -> Futures.unwrap(error)).join();
        ToolException tool = assertInstanceOf(ToolException.class, failure);
        assertEquals(ErrorCode.BAD_REQUEST, tool.code());
        assertFalse(tool.retryable());
        assertTrue(tool.getMessage().contains(expected), tool.getMessage());
    }

    private OpenAiChatTool tool(TargetGuard guard) {
        OpenAiSettings settings = OpenAiSettings.from(ConfigSource.of(Map.of(
                Setting.OPENAI_BASE_URL, server.baseUrl("/v1"), Setting.OPENAI_MODEL, "default-model")));
        JsonApi api = new JsonApi("openai.chat", JsonApi.newClient(Duration.ofSeconds(5)), guard, resolvers,
                Duration.ofSeconds(5), Clock.systemUTC());
        return new OpenAiChatTool(api, settings, Optional.of(new Secret("sk-test-key")));
    }
}
