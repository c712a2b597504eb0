package io.taskgate.workers.tools.settings;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every tool's {@link ToolSettings}, read from {@code TASKGATE_TOOLS} ({@code tools:} in
 * {@code taskgate.yaml}, or JSON in the environment), such as
 * {@code {openai: {concurrency: 8, timeout_ms: 60000, retries: 3, cache_ttl_s: 0, breaker_open_ms: 30000}}}. A bad value
 * stops the worker at start with a line naming it.
 */
public final class ToolSettingsTable {
    private static final Pattern TOOL_NAME = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Set<String> FIELDS = Set.of("concurrency", "timeout_ms", "retries", "cache_ttl_s", "breaker_open_ms");
    static final int MAX_CONCURRENCY = 10_000;
    static final int MAX_TIMEOUT_MS = 3_600_000;
    static final int MAX_RETRIES = 10;
    static final int MAX_CACHE_TTL_S = 86_400;
    static final int MAX_BREAKER_OPEN_MS = 3_600_000;

    private final Map<String, ToolSettings> byTool;

    private ToolSettingsTable(Map<String, ToolSettings> byTool) {
        this.byTool = Map.copyOf(byTool);
    }

    public static ToolSettingsTable from(ConfigSource config) {
        Optional<String> text = config.optional(Setting.TOOLS);
        if (text.isEmpty()) {
            return new ToolSettingsTable(Map.of());
        }
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(text.get());
        } catch (JacksonException e) {
            throw new ConfigException(Setting.TOOLS, "is not a map of tools: " + e.getOriginalMessage());
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            return new ToolSettingsTable(Map.of());
        }
        if (!root.isObject()) {
            throw new ConfigException(Setting.TOOLS, "must be a map of tool name to settings, such as {openai: {concurrency: 8}}");
        }
        Map<String, ToolSettings> byTool = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> tools = root.fields();
        while (tools.hasNext()) {
            Map.Entry<String, JsonNode> tool = tools.next();
            if (!TOOL_NAME.matcher(tool.getKey()).matches()) {
                throw new ConfigException(Setting.TOOLS, "'" + tool.getKey() + "' is not a tool name (such as openai)");
            }
            byTool.put(tool.getKey(), parse(tool.getKey(), tool.getValue()));
        }
        return new ToolSettingsTable(byTool);
    }

    public ToolSettings of(String tool) {
        return byTool.getOrDefault(tool, ToolSettings.DEFAULTS);
    }

    /** The concurrency limits that were set, by tool. */
    public Map<String, Integer> concurrencyLimits() {
        Map<String, Integer> limits = new HashMap<>();
        byTool.forEach((tool, settings) -> settings.concurrency().ifPresent(limit -> limits.put(tool, limit)));
        return limits;
    }

    /** The cache time-to-live of every tool that has one. */
    public Map<String, Duration> cacheTtls() {
        Map<String, Duration> ttls = new HashMap<>();
        byTool.forEach((tool, settings) -> {
            if (settings.cached()) {
                ttls.put(tool, settings.cacheTtl());
            }
        });
        return ttls;
    }

    private static ToolSettings parse(String tool, JsonNode node) {
        if (!node.isObject()) {
            throw new ConfigException(Setting.TOOLS, tool + " must be a map such as {concurrency: 8, timeout_ms: 60000}");
        }
        node.fieldNames().forEachRemaining(field -> {
            if (!FIELDS.contains(field)) {
                throw new ConfigException(Setting.TOOLS, tool + "." + field + " is not a tool setting (one of "
                        + String.join(", ", FIELDS.stream().sorted().toList()) + ")");
            }
        });
        OptionalInt concurrency = number(tool, node, "concurrency", 1, MAX_CONCURRENCY);
        OptionalInt timeoutMs = number(tool, node, "timeout_ms", 1, MAX_TIMEOUT_MS);
        OptionalInt retries = number(tool, node, "retries", 0, MAX_RETRIES);
        OptionalInt cacheTtl = number(tool, node, "cache_ttl_s", 0, MAX_CACHE_TTL_S);
        OptionalInt breakerOpenMs = number(tool, node, "breaker_open_ms", 1, MAX_BREAKER_OPEN_MS);
        return new ToolSettings(concurrency, millis(timeoutMs), retries, Duration.ofSeconds(cacheTtl.orElse(0)), millis(breakerOpenMs));
    }

    private static Optional<Duration> millis(OptionalInt value) {
        return value.isPresent() ? Optional.of(Duration.ofMillis(value.getAsInt())) : Optional.empty();
    }

    private static OptionalInt number(String tool, JsonNode node, String field, int min, int max) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return OptionalInt.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < min || value.asInt() > max) {
            throw new ConfigException(Setting.TOOLS, tool + "." + field + " must be a whole number from " + min + " to " + max
                    + ", got " + value);
        }
        return OptionalInt.of(value.asInt());
    }
}
