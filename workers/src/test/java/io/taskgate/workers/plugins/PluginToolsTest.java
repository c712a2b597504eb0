package io.taskgate.workers.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.secrets.ToolSecrets;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.tool.api.Tool;
import io.taskgate.tool.api.ToolContext;
import io.taskgate.tool.api.ToolProvider;
import io.taskgate.workers.resilience.ToolPolicy;
import io.taskgate.workers.tools.settings.ToolSettingsTable;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PluginToolsTest {
    private static final Set<String> BUILT_IN = Set.of("echo", "http_fetch", "route");

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ToolSettingsTable settings = ToolSettingsTable.from(ConfigSource.of(Map.of(Setting.TOOLS,
            "{text: {timeout_ms: 1500, retries: 0}}")));
    private final ToolContext context = new WorkerToolContext("default", ToolSecrets.none(), settings, scheduler, Runnable::run,
            Clock.systemUTC());

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void shouldOfferEveryToolOfEveryProvider() {
        List<Tool> tools = PluginTools.create(List.of(provider("a.jar", tool("text", "upper", "count")), provider("b.jar", tool("geo", "lookup"))),
                context, BUILT_IN);

        assertEquals(List.of("text", "geo"), tools.stream().map(Tool::name).toList());
    }

    @Test
    void shouldStopOnAToolNamedLikeABuiltInOne() {
        ConfigException clash = assertThrows(ConfigException.class,
                () -> PluginTools.create(List.of(provider("evil.jar", tool("echo", "run"))), context, BUILT_IN));

        assertEquals("tool plug-in evil.jar offers the tool 'echo', which is built in; rename the plug-in's tool", clash.getMessage());
    }

    @Test
    void shouldStopOnTwoPluginsOfferingOneTool() {
        ConfigException clash = assertThrows(ConfigException.class, () -> PluginTools.create(
                List.of(provider("a.jar", tool("text", "upper")), provider("b.jar", tool("text", "count"))), context, BUILT_IN));

        assertEquals("the tool 'text' is offered by two plug-ins, a.jar and b.jar; remove or rename one", clash.getMessage());
    }

    @Test
    void shouldStopOnANameThatIsNoTaskName() {
        for (Tool bad : List.of(tool("Text", "upper"), tool("text", "up.per"), tool("text"))) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> PluginTools.create(List.of(provider("a.jar", bad)), context, BUILT_IN));
            assertTrue(e.getMessage().startsWith("tool plug-in a.jar: "), e.getMessage());
        }
    }

    @Test
    void shouldNameThePluginThatFailedToBuildItsTools() {
        ToolProvider failing = ctx -> {
            throw new IllegalArgumentException("secret acme_api_key is not set");
        };

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PluginTools.create(List.of(new LoadedProvider(failing, "acme.jar")), context, BUILT_IN));

        assertEquals("tool plug-in acme.jar could not start: secret acme_api_key is not set", e.getMessage());
    }

    @Test
    void shouldGuardPluginToolsWithTheirToolsSettingsLikeBuiltInOnes() {
        List<ToolPolicy> policies = PluginTools.policies(List.of(tool("text", "upper"), tool("geo", "lookup")), settings);

        assertEquals(Duration.ofMillis(1500), policies.get(0).attemptTimeout());
        assertEquals(1, policies.get(0).maxAttempts());
        assertEquals(WorkerToolContext.DEFAULT_TIMEOUT, policies.get(1).attemptTimeout());
        assertEquals(ToolPolicy.standard("geo", WorkerToolContext.DEFAULT_TIMEOUT), policies.get(1));
        assertEquals(Duration.ofMillis(1500), context.timeout("text"));
    }

    private static LoadedProvider provider(String origin, Tool... tools) {
        return new LoadedProvider(ctx -> List.of(tools), origin);
    }

    private static Tool tool(String name, String... actions) {
        return new Tool() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Set<String> actions() {
                return Set.of(actions);
            }

            @Override
            public CompletionStage<JsonNode> run(TaskMessage task) {
                return CompletableFuture.completedFuture(TextNode.valueOf(name));
            }
        };
    }
}
