package io.taskgate.webhooks;

import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.KafkaSettings;
import io.taskgate.platform.config.Setting;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the webhook deliverer reads at start, validated once.
 *
 * @param retention   how long a finished delivery is kept, so an admin can ask for it again
 * @param timeout     how long a receiver has to answer an attempt, all of it (connecting, sending, answering)
 * @param concurrency attempts in flight at once on this instance; {@code hostConcurrency} of them at most to one host
 */
public record WebhookConfig(
        KafkaSettings kafka,
        Path stateDir,
        RetrySchedule schedule,
        Duration timeout,
        int concurrency,
        int hostConcurrency,
        boolean allowHttp,
        boolean allowPrivate,
        Duration retention) {
    private static final int MAX_RETENTION_HOURS = 24 * 365;

    public static WebhookConfig from(ConfigSource config) {
        RetrySchedule schedule;
        try {
            schedule = RetrySchedule.parse(config.string(Setting.WEBHOOK_RETRY_SCHEDULE));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Setting.WEBHOOK_RETRY_SCHEDULE, e.getMessage());
        }
        Path dataDir = Path.of(config.string(Setting.DATA_DIR));
        int concurrency = config.integer(Setting.WEBHOOK_CONCURRENCY, 1, 4096);
        return new WebhookConfig(KafkaSettings.from(config),
                config.path(Setting.STATE_DIR).orElse(dataDir.resolve("state")),
                schedule,
                Duration.ofMillis(config.integer(Setting.WEBHOOK_TIMEOUT_MS, 100, 120_000)),
                concurrency,
                config.integer(Setting.WEBHOOK_HOST_CONCURRENCY, 1, concurrency),
                config.bool(Setting.WEBHOOK_ALLOW_HTTP),
                config.bool(Setting.HTTP_FETCH_ALLOW_PRIVATE),
                Duration.ofHours(config.integer(Setting.TASK_RETENTION_HOURS, 1, MAX_RETENTION_HOURS)));
    }
}
