package io.taskgate.workers.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.tasks.TaskName;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Answers repeated calls of idempotent tools ({@code serpapi.search}, {@code http_fetch.get}) from
 * memory for a time-to-live set per tool ({@code cache_ttl_s}). Entries are keyed by the task name
 * and its input with object keys sorted, so the same query written in another order is the same
 * entry. Each tool's cache is bounded by the size of its results. A hit counts in
 * {@code gateway_cache_hits_total{tool}}.
 */
public final class ResponseCache {
    /** Task names whose answer may be reused: reading calls that change nothing on the other side. */
    public static final Set<String> IDEMPOTENT = Set.of("serpapi.search", "http_fetch.get");
    static final long MAX_BYTES_PER_TOOL = 64L * 1024 * 1024;

    private final Map<String, Cache<String, JsonNode>> byTool;
    private final Map<String, Counter> hits;

    /**
     * @param ttls   time-to-live by tool name ({@code serpapi}); tools missing or with zero are not cached
     * @param ticker the time source of expiry, {@link Ticker#systemTicker()} outside tests
     */
    public ResponseCache(Map<String, Duration> ttls, MeterRegistry metrics, Ticker ticker) {
        Map<String, Cache<String, JsonNode>> caches = new HashMap<>();
        Map<String, Counter> counters = new HashMap<>();
        ttls.forEach((tool, ttl) -> {
            if (ttl.isNegative() || ttl.isZero()) {
                return;
            }
            caches.put(tool, Caffeine.newBuilder()
                    .expireAfterWrite(ttl)
                    .maximumWeight(MAX_BYTES_PER_TOOL)
                    .weigher((String key, JsonNode result) -> key.length() + result.toString().length())
                    .ticker(ticker)
                    .build());
            counters.put(tool, Counter.builder("gateway_cache_hits")
                    .description("tasks answered from the worker's response cache, by tool")
                    .tag("tool", tool)
                    .register(metrics));
        });
        this.byTool = Map.copyOf(caches);
        this.hits = Map.copyOf(counters);
    }

    public static ResponseCache none(MeterRegistry metrics) {
        return new ResponseCache(Map.of(), metrics, Ticker.systemTicker());
    }

    /** The result of an earlier identical task that is still fresh, if this task may be answered so. */
    public Optional<JsonNode> lookup(TaskMessage task) {
        Optional<String> tool = cacheableTool(task);
        if (tool.isEmpty()) {
            return Optional.empty();
        }
        JsonNode hit = byTool.get(tool.get()).getIfPresent(key(task));
        if (hit == null) {
            return Optional.empty();
        }
        hits.get(tool.get()).increment();
        return Optional.of(hit.deepCopy());
    }

    public void store(TaskMessage task, JsonNode result) {
        cacheableTool(task).ifPresent(tool -> byTool.get(tool).put(key(task), result.deepCopy()));
    }

    private Optional<String> cacheableTool(TaskMessage task) {
        if (!IDEMPOTENT.contains(task.name())) {
            return Optional.empty();
        }
        String tool = TaskName.parse(task.name()).tool();
        return byTool.containsKey(tool) ? Optional.of(tool) : Optional.empty();
    }

    private static String key(TaskMessage task) {
        String canonical = task.name() + "\n" + canonical(task.input());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The JSON text of a value with every object's keys in sorted order. */
    private static String canonical(JsonNode node) {
        if (node == null) {
            return "null";
        }
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            node.fields().forEachRemaining(field -> sorted.put(field.getKey(), field.getValue()));
            StringBuilder out = new StringBuilder("{");
            sorted.forEach((name, value) -> {
                if (out.length() > 1) {
                    out.append(',');
                }
                out.append(JsonNodeFactory.instance.textNode(name)).append(':').append(canonical(value));
            });
            return out.append('}').toString();
        }
        if (node.isArray()) {
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(canonical(node.get(i)));
            }
            return out.append(']').toString();
        }
        return node.toString();
    }
}
