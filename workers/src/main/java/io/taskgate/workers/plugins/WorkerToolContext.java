package io.taskgate.workers.plugins;

import io.taskgate.platform.secrets.Secret;
import io.taskgate.platform.secrets.ToolSecrets;
import io.taskgate.tool.api.ToolContext;
import io.taskgate.workers.tools.settings.ToolSettingsTable;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/** What a worker lends its plug-ins: its pool, the tool secrets, each tool's timeout, its threads and clock. */
public record WorkerToolContext(String pool, ToolSecrets secrets, ToolSettingsTable settings, ScheduledExecutorService scheduler,
                                Executor blocking, Clock clock) implements ToolContext {
    /** One attempt of a plug-in tool, unless {@code tools:} says otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public WorkerToolContext {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(blocking, "blocking");
        Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<String> secret(String name) {
        return secrets.get(name).map(Secret::reveal);
    }

    @Override
    public Duration timeout(String tool) {
        return settings.of(tool).timeout().orElse(DEFAULT_TIMEOUT);
    }

    /** Keeps the secrets out of a log line that prints the context. */
    @Override
    public String toString() {
        return "WorkerToolContext[pool=" + pool + ", secrets=" + secrets + "]";
    }
}
