package io.taskgate.workers;

import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.KafkaSettings;
import io.taskgate.platform.config.Setting;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.topics.TopicSpec;
import io.taskgate.schemas.policy.IpAllowlist;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one worker needs to know: the cluster and topics, the pool it serves, how many tasks it
 * runs at once, the timeout of an outbound HTTP call, and whether http_fetch may reach private
 * addresses (never in production) or some special-purpose blocks named in {@code allowedRanges},
 * how long running tasks may finish when it stops, and the directory of tool plug-in jars it loads
 * besides the plug-ins on its class path.
 */
public record WorkerConfig(
        KafkaSettings kafka,
        String pool,
        int concurrency,
        Duration httpTimeout,
        boolean allowPrivateAddresses,
        List<String> allowedRanges,
        String region,
        Duration shutdownGrace,
        Optional<Path> toolPlugins) {
    static final int MAX_CONCURRENCY = 10_000;
    static final int MIN_HTTP_TIMEOUT_MS = 100;
    static final int MAX_HTTP_TIMEOUT_MS = 600_000;
    static final int MAX_SHUTDOWN_GRACE_S = 3_600;

    public WorkerConfig {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(httpTimeout, "httpTimeout");
        allowedRanges = allowedRanges == null ? List.of() : List.copyOf(allowedRanges);
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(toolPlugins, "toolPlugins");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
    }

    public static WorkerConfig from(ConfigSource config) {
        KafkaSettings kafka = KafkaSettings.from(config);
        String pool = config.required(Setting.WORKER_POOL);
        try {
            kafka.topics().ready(pool);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Setting.WORKER_POOL, e.getMessage());
        }
        return new WorkerConfig(
                kafka,
                pool,
                config.integer(Setting.WORKER_CONCURRENCY, 1, MAX_CONCURRENCY),
                Duration.ofMillis(config.integer(Setting.HTTP_TIMEOUT_MS, MIN_HTTP_TIMEOUT_MS, MAX_HTTP_TIMEOUT_MS)),
                config.bool(Setting.HTTP_FETCH_ALLOW_PRIVATE),
                allowedRanges(config),
                config.string(Setting.REGION),
                Duration.ofSeconds(config.integer(Setting.SHUTDOWN_GRACE_S, 0, MAX_SHUTDOWN_GRACE_S)),
                toolPlugins(config));
    }

    /** Checked here so a mistyped directory stops the worker at start rather than run it without its plug-ins. */
    private static Optional<Path> toolPlugins(ConfigSource config) {
        Optional<Path> directory = config.path(Setting.TOOL_PLUGINS);
        if (directory.isPresent() && !Files.isDirectory(directory.get())) {
            throw new ConfigException(Setting.TOOL_PLUGINS, "'" + directory.get() + "' is not a directory");
        }
        return directory;
    }

    /** The blocks http_fetch may reach although special-purpose; checked here so a typo stops the worker at start. */
    private static List<String> allowedRanges(ConfigSource config) {
        List<String> ranges = Arrays.stream(config.string(Setting.HTTP_FETCH_ALLOW_CIDRS).split(","))
                .map(String::trim).filter(entry -> !entry.isEmpty()).toList();
        try {
            IpAllowlist.parse(ranges);
        } catch (IpAllowlist.InvalidEntry e) {
            throw new ConfigException(Setting.HTTP_FETCH_ALLOW_CIDRS, "'" + ranges.get(e.index()) + "': " + e.problem());
        }
        return ranges;
    }

    /** Workers of one pool share a consumer group, so each task goes to one of them. */
    public String consumerGroup() {
        return kafka.topics().prefix() + "-workers-" + pool;
    }

    public TopicSpec<String, TaskMessage> readyTopic() {
        return kafka.topics().ready(pool);
    }
}
