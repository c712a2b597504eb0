package io.taskgate.workers.tools.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.workers.resilience.ToolPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolSettingsTableTest {
    @TempDir
    Path dir;

    @Test
    void shouldReadEachToolsSettingsFromTaskgateYaml() throws Exception {
        Path yaml = dir.resolve("taskgate.yaml");
        Files.writeString(yaml, """
                worker_pool: default
                tools:
                  openai: {concurrency: 8, timeout_ms: 60000, retries: 3, cache_ttl_s: 0}
                  serpapi:
                    cache_ttl_s: 300
                """);

        ToolSettingsTable table = ToolSettingsTable.from(ConfigSource.load(Map.of("TASKGATE_CONFIG", yaml.toString())));

        ToolSettings openai = table.of("openai");
        assertEquals(OptionalInt.of(8), openai.concurrency());
        assertEquals(Optional.of(Duration.ofSeconds(60)), openai.timeout());
        assertEquals(OptionalInt.of(3), openai.retries());
        assertEquals(Duration.ofMinutes(5), table.of("serpapi").cacheTtl());
        assertTrue(table.of("serpapi").cached());
        assertEquals(ToolSettings.DEFAULTS, table.of("email"));
        assertEquals(Map.of("openai", 8), table.concurrencyLimits());
    }

    @Test
    void shouldLetTheEnvironmentReplaceTheYamlTools() throws Exception {
        Path yaml = dir.resolve("taskgate.yaml");
        Files.writeString(yaml, "tools: {openai: {concurrency: 8}}\n");

        ToolSettingsTable table = ToolSettingsTable.from(ConfigSource.load(Map.of("TASKGATE_CONFIG", yaml.toString(),
                "TASKGATE_TOOLS", "{\"openai\": {\"concurrency\": 2}}")));

        assertEquals(OptionalInt.of(2), table.of("openai").concurrency());
    }

    @Test
    void shouldTurnTimeoutAndRetriesIntoTheToolsPolicy() {
        ToolSettings settings = settings("{openai: {timeout_ms: 1500, retries: 0}}").of("openai");

        ToolPolicy policy = settings.policy("openai", Duration.ofSeconds(10));

        assertEquals(Duration.ofMillis(1500), policy.attemptTimeout());
        assertEquals(1, policy.maxAttempts());
        assertEquals(Duration.ofSeconds(10), ToolSettings.DEFAULTS.policy("openai", Duration.ofSeconds(10)).attemptTimeout());
        assertEquals(3, ToolSettings.DEFAULTS.policy("openai", Duration.ofSeconds(10)).maxAttempts());
    }

    @Test
    void shouldSetHowLongTheBreakerStaysOpen() {
        ToolPolicy policy = settings("{http_fetch: {breaker_open_ms: 1500}}").of("http_fetch").policy("http_fetch", Duration.ofSeconds(10));

        assertEquals(Duration.ofMillis(1500), policy.openDuration());
        assertEquals(Duration.ofSeconds(30), ToolSettings.DEFAULTS.policy("http_fetch", Duration.ofSeconds(10)).openDuration());
        assertThrows(ConfigException.class, () -> settings("{http_fetch: {breaker_open_ms: 0}}"));
    }

    @Test
    void shouldNameTheBadValue() {
        assertMessage("{openai: {concurrency: 0}}", "TASKGATE_TOOLS: openai.concurrency must be a whole number from 1");
        assertMessage("{openai: {concurrency: many}}", "openai.concurrency must be a whole number");
        assertMessage("{openai: {retries: 11}}", "openai.retries must be a whole number from 0 to 10");
        assertMessage("{openai: {timeout: 5}}", "openai.timeout is not a tool setting");
        assertMessage("{openai: 8}", "openai must be a map");
        assertMessage("[openai]", "must be a map of tool name to settings");
        assertMessage("{Open-AI: {}}", "'Open-AI' is not a tool name");
    }

    private static void assertMessage(String tools, String expected) {
        ConfigException error = assertThrows(ConfigException.class, () -> settings(tools));
        assertTrue(error.getMessage().contains(expected), error.getMessage());
    }

    private static ToolSettingsTable settings(String tools) {
        return ToolSettingsTable.from(ConfigSource.of(Map.of(Setting.TOOLS, tools)));
    }
}
