package io.taskgate.workers.cache;

import static io.taskgate.workers.tools.Tasks.json;
import static io.taskgate.workers.tools.Tasks.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ResponseCacheTest {
    private final AtomicLong nanos = new AtomicLong();
    private final Ticker ticker = nanos::get;
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    @Test
    void shouldForgetAnAnswerOnceItsTtlHasPassed() {
        ResponseCache cache = new ResponseCache(Map.of("http_fetch", Duration.ofSeconds(30)), metrics, ticker);
        cache.store(task("tsk_1", "http_fetch.get", "{\"url\": \"https://example.com/\"}"), json("{\"status\": 200}"));

        nanos.addAndGet(Duration.ofSeconds(29).toNanos());
        assertEquals(Optional.of(json("{\"status\": 200}")), cache.lookup(task("tsk_2", "http_fetch.get", "{\"url\": \"https://example.com/\"}")));

        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertTrue(cache.lookup(task("tsk_3", "http_fetch.get", "{\"url\": \"https://example.com/\"}")).isEmpty());
        assertEquals(1.0, metrics.get("gateway_cache_hits").tag("tool", "http_fetch").counter().count());
    }

    @Test
    void shouldNeverCacheACallThatChangesSomething() {
        ResponseCache cache = new ResponseCache(Map.of("http_fetch", Duration.ofSeconds(30), "echo", Duration.ofSeconds(30)),
                metrics, ticker);
        cache.store(task("tsk_1", "http_fetch.post", "{\"url\": \"https://example.com/\"}"), json("{\"status\": 200}"));
        cache.store(task("tsk_1", "echo.run", "{\"x\": 1}"), json("{\"x\": 1}"));

        assertTrue(cache.lookup(task("tsk_2", "http_fetch.post", "{\"url\": \"https://example.com/\"}")).isEmpty());
        assertTrue(cache.lookup(task("tsk_2", "echo.run", "{\"x\": 1}")).isEmpty());
    }

    @Test
    void shouldTellDifferentInputsApart() {
        ResponseCache cache = new ResponseCache(Map.of("serpapi", Duration.ofSeconds(30)), metrics, ticker);
        cache.store(task("tsk_1", "serpapi.search", "{\"q\": \"a\", \"opts\": {\"x\": [1, 2]}}"), json("{\"r\": 1}"));

        assertTrue(cache.lookup(task("tsk_2", "serpapi.search", "{\"q\": \"a\", \"opts\": {\"x\": [2, 1]}}")).isEmpty());
        assertTrue(cache.lookup(task("tsk_3", "serpapi.search", "{\"opts\": {\"x\": [1, 2]}, \"q\": \"a\"}")).isPresent());
    }
}
