package io.taskgate.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerConfigTest {

    @Test
    void shouldReadDefaultsAndNameTheConsumerGroupAfterPrefixAndPool() {
        WorkerConfig config = WorkerConfig.from(ConfigSource.of(Map.of()));

        assertEquals("default", config.pool());
        assertEquals(64, config.concurrency());
        assertEquals(Duration.ofSeconds(10), config.httpTimeout());
        assertFalse(config.allowPrivateAddresses());
        assertEquals(Duration.ofSeconds(20), config.shutdownGrace());
        assertEquals("taskgate-workers-default", config.consumerGroup());
        assertEquals("taskgate.tasks.ready.default", config.readyTopic().name());
    }

    @Test
    void shouldReadEverySetting() {
        WorkerConfig config = WorkerConfig.from(ConfigSource.of(Map.of(
                Setting.TOPIC_PREFIX, "acme",
                Setting.WORKER_POOL, "llm",
                Setting.WORKER_CONCURRENCY, "8",
                Setting.HTTP_TIMEOUT_MS, "2500",
                Setting.HTTP_FETCH_ALLOW_PRIVATE, "true",
                Setting.HTTP_FETCH_ALLOW_CIDRS, "10.20.0.0/16, fd00:1::/32",
                Setting.SHUTDOWN_GRACE_S, "45")));

        assertEquals("acme-workers-llm", config.consumerGroup());
        assertEquals("acme.tasks.ready.llm", config.readyTopic().name());
        assertEquals(8, config.concurrency());
        assertEquals(Duration.ofMillis(2500), config.httpTimeout());
        assertTrue(config.allowPrivateAddresses());
        assertEquals(List.of("10.20.0.0/16", "fd00:1::/32"), config.allowedRanges());
        assertEquals(Duration.ofSeconds(45), config.shutdownGrace());
    }

    @Test
    void shouldNameTheSettingThatIsWrong() {
        assertTrue(assertThrows(ConfigException.class, () -> WorkerConfig.from(ConfigSource.of(Map.of(Setting.WORKER_POOL, "a/b"))))
                .getMessage().startsWith("TASKGATE_WORKER_POOL"));
        assertTrue(assertThrows(ConfigException.class, () -> WorkerConfig.from(ConfigSource.of(Map.of(Setting.WORKER_CONCURRENCY, "0"))))
                .getMessage().startsWith("TASKGATE_WORKER_CONCURRENCY"));
        assertTrue(assertThrows(ConfigException.class, () -> WorkerConfig.from(ConfigSource.of(Map.of(Setting.HTTP_TIMEOUT_MS, "soon"))))
                .getMessage().startsWith("TASKGATE_HTTP_TIMEOUT_MS"));
        assertTrue(assertThrows(ConfigException.class, () -> WorkerConfig.from(ConfigSource.of(Map.of(Setting.HTTP_FETCH_ALLOW_PRIVATE, "maybe"))))
                .getMessage().startsWith("TASKGATE_HTTP_FETCH_ALLOW_PRIVATE"));
        assertTrue(assertThrows(ConfigException.class, () -> WorkerConfig.from(ConfigSource.of(Map.of(Setting.HTTP_FETCH_ALLOW_CIDRS, "10.0.0.0/99"))))
                .getMessage().startsWith("TASKGATE_HTTP_FETCH_ALLOW_CIDRS"));
        assertTrue(assertThrows(ConfigException.class, () -> WorkerConfig.from(ConfigSource.of(Map.of(Setting.SHUTDOWN_GRACE_S, "-1"))))
                .getMessage().startsWith("TASKGATE_SHUTDOWN_GRACE_S"));
        assertTrue(assertThrows(ConfigException.class, () -> WorkerConfig.from(ConfigSource.of(Map.of(Setting.TOOL_PLUGINS, "/no/such/dir"))))
                .getMessage().startsWith("TASKGATE_TOOL_PLUGINS"));
    }

    @Test
    void shouldReadThePluginDirectoryOnlyWhenSet(@TempDir Path plugins) {
        assertEquals(Optional.empty(), WorkerConfig.from(ConfigSource.of(Map.of())).toolPlugins());
        assertEquals(Optional.of(plugins),
                WorkerConfig.from(ConfigSource.of(Map.of(Setting.TOOL_PLUGINS, plugins.toString()))).toolPlugins());
    }
}
