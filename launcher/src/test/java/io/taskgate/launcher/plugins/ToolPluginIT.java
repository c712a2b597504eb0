package io.taskgate.launcher.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskgate.launcher.dev.DevEnvironment;
import io.taskgate.launcher.run.Running;
import io.taskgate.launcher.run.Services;
import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.ops.Metrics;
import io.taskgate.testing.Await;
import io.taskgate.testing.HttpDriver;
import io.taskgate.testing.HttpDriver.Response;
import io.taskgate.workers.WorkerService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tool plug-in end to end: the example plug-in's jar (built by the reactor, never on this test's
 * class path) is dropped into a worker's plug-in directory, the worker announces {@code text.*},
 * and ingress, which answered 404 before, runs it over the real broker. The worker of pool
 * {@code plugins} is started as {@code taskgate worker} starts one; the rest is {@code taskgate dev}.
 */
class ToolPluginIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String PLUGIN_CLASS = "io.taskgate.examples.text.TextToolProvider";

    @TempDir
    static Path dir;

    static Path exampleJar;
    static DevEnvironment dev;
    static HttpDriver http;
    static String token;

    @BeforeAll
    static void startEverything() throws IOException {
        exampleJar = Path.of(System.getProperty("taskgate.test.plugins", "target/test-plugins"), "taskgate-example-tool.jar");
        assertTrue(Files.isRegularFile(exampleJar), "the reactor copies the example plug-in to " + exampleJar);
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                version: 1
                tasks:
                  text.*:
                    pool: plugins
                """);
        dev = DevEnvironment.start(ConfigSource.of(Map.of(
                Setting.DATA_DIR, dir.resolve("data").toString(),
                Setting.PORT, "0",
                Setting.AUDIT_PORT, "0",
                Setting.POLICY_FILE, policy.toString())), Metrics.newRegistry("test"), Clock.systemUTC());
        http = new HttpDriver(dev.ingressUrl());
        String admin = dev.adminToken();
        String agent = http.createAgent(admin, "{\"name\": \"writer-bot\", \"tools\": [\"text\"], \"actions\": [\"*\"]}");
        token = http.mintToken(admin, agent, "{\"tools\": [\"text\"], \"actions\": [\"*\"], \"expires_in\": 3600}");
    }

    @AfterAll
    static void stopEverything() {
        if (dev != null) {
            dev.close();
        }
    }

    @Test
    void shouldRunAPluginToolThroughIngressOnceAWorkerAnnouncesItAndForgetItWhenTheWorkerStops() throws IOException {
        assertThrows(ClassNotFoundException.class, () -> Class.forName(PLUGIN_CLASS),
                "the plug-in must reach the worker through its plug-in directory only");
        http.postTask(token, "text.upper", "{\"input\": {\"text\": \"hello\"}}").assertError(404, "NOT_FOUND");

        PrometheusMeterRegistry workerMetrics = Metrics.newRegistry("test");
        try (Running running = new Running()) {
            WorkerService worker = pluginWorker(running, pluginDirectory("plugins", "taskgate-example-tool.jar"), workerMetrics);
            Await.until("plug-in worker ready", worker::isReady, DEADLINE);

            Response accepted = Await.value("ingress to accept text.upper",
                    () -> http.postTask(token, "text.upper", "{\"input\": {\"text\": \"hello plug-in\"}}"),
                    response -> response.statusCode() != 404, DEADLINE);
            assertEquals(202, accepted.statusCode(), accepted::toString);
            JsonNode upper = succeeded(accepted.json().get("task_id").asText());
            assertEquals("HELLO PLUG-IN", upper.path("result").path("text").asText(), upper::toString);

            Response counted = http.postTask(token, "text.count", "{\"input\": {\"text\": \"one two three\"}}", "Prefer", "wait=20");
            assertEquals(200, counted.statusCode(), counted::toString);
            assertEquals(3, counted.json().path("result").path("words").asInt(), counted::toString);
            assertEquals(13, counted.json().path("result").path("characters").asInt(), counted::toString);

            Response bad = http.postTask(token, "text.upper", "{\"input\": {\"text\": 42}}", "Prefer", "wait=20");
            assertEquals("failed", bad.json().path("status").asText(), bad::toString);
            assertEquals("BAD_REQUEST", bad.json().path("error").path("codeName").asText(), bad::toString);

            assertTrue(workerMetrics.scrape().contains("gateway_breaker_state{") && workerMetrics.scrape().contains("tool=\"text\""),
                    "the plug-in tool has its own breaker, as built-in tools do");
        }

        Await.value("ingress to forget text.upper once its only worker stopped",
                () -> http.postTask(token, "text.upper", "{\"input\": {\"text\": \"again\"}}"),
                response -> response.statusCode() == 404, DEADLINE).assertError(404, "NOT_FOUND");
    }

    @Test
    void shouldStopAWorkerWhosePluginsOfferOneToolTwice() throws IOException {
        Path twice = pluginDirectory("twice", "a-text.jar", "b-text.jar");

        try (Running running = new Running()) {
            ConfigException clash = assertThrows(ConfigException.class,
                    () -> pluginWorker(running, twice, Metrics.newRegistry("test")));

            assertEquals("the tool 'text' is offered by two plug-ins, a-text.jar and b-text.jar; remove or rename one",
                    clash.getMessage());
        }
    }

    private static WorkerService pluginWorker(Running running, Path plugins, PrometheusMeterRegistry metrics) {
        ConfigSource config = dev.config().with(Map.of(Setting.WORKER_POOL, "plugins", Setting.TOOL_PLUGINS, plugins.toString()));
        return new Services(config, metrics, Clock.systemUTC(), running).worker();
    }

    private static Path pluginDirectory(String name, String... copies) throws IOException {
        Path plugins = Files.createDirectories(dir.resolve(name));
        for (String copy : copies) {
            Files.copy(exampleJar, plugins.resolve(copy));
        }
        return plugins;
    }

    private static JsonNode succeeded(String taskId) {
        return Await.value("plug-in task to succeed", () -> http.getTask(token, taskId, "?wait=20"),
                response -> response.statusCode() == 200 && "succeeded".equals(response.json().path("status").asText()),
                DEADLINE).json();
    }
}
