package io.taskgate.workers.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.secrets.ToolSecrets;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.tool.api.Tool;
import io.taskgate.workers.WorkerConfig;
import io.taskgate.workers.resilience.ToolPolicy;
import io.taskgate.workers.tools.http.FetchClient;
import io.taskgate.workers.tools.http.TargetGuard;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BuiltInToolsTest {
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
    private final ExecutorService blocking = Executors.newCachedThreadPool();
    private final FetchClient fetch = FetchClient.start(Duration.ofSeconds(5));

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
        blocking.shutdownNow();
        fetch.close();
    }

    @Test
    void shouldOfferEveryBuiltInTask() {
        ConfigSource config = ConfigSource.of(Map.of());
        ToolRegistry tools = BuiltInTools.create(WorkerConfig.from(config), OutsideToolsConfig.from(config), ToolSecrets.none(),
                TargetGuard.allowAll(), scheduler, blocking, blocking, fetch, stateTool(), Clock.systemUTC());

        for (String task : List.of("echo.run", "sleep.run", "http_fetch.get", "http_fetch.post", "serpapi.search", "openai.chat",
                "email.send", "state.get", "state.set", "state.delete")) {
            assertTrue(tools.find(task).isPresent(), task);
        }
    }

    @Test
    void shouldGiveTheLlmALongerDefaultTimeoutAndApplyEachToolsSettings() {
        ConfigSource config = ConfigSource.of(Map.of(Setting.TOOLS, "{serpapi: {timeout_ms: 2500, retries: 1}}"));
        Map<String, ToolPolicy> policies = BuiltInTools.policies(WorkerConfig.from(config), OutsideToolsConfig.from(config).tools())
                .stream().collect(Collectors.toMap(ToolPolicy::tool, Function.identity()));

        assertEquals(Duration.ofSeconds(60), policies.get("openai").attemptTimeout());
        assertEquals(Duration.ofMillis(2500), policies.get("serpapi").attemptTimeout());
        assertEquals(2, policies.get("serpapi").maxAttempts());
        assertEquals(Duration.ofSeconds(10), policies.get("http_fetch").attemptTimeout());
    }

    /** The state tool needs a broker; this test only asks which task names the worker offers. */
    private static Tool stateTool() {
        return new Tool() {
            @Override
            public String name() {
                return "state";
            }

            @Override
            public Set<String> actions() {
                return Set.of("get", "set", "delete");
            }

            @Override
            public CompletionStage<JsonNode> run(TaskMessage task) {
                return CompletableFuture.failedFuture(new UnsupportedOperationException("not in this test"));
            }
        };
    }
}
