package io.taskgate.launcher.dev;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskgate.launcher.run.Foreground;
import io.taskgate.launcher.run.Running;
import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.ops.Metrics;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "dev", mixinStandardHelpOptions = true,
        description = {
            "Run everything on this machine: an embedded single-node KRaft broker (or the cluster in TASKGATE_KAFKA_BOOTSTRAP),",
            "ingress, policy-stream, one worker pool and the audit sink (over SQLite, or PostgreSQL with --postgres),",
            "then print one ready line.",
            "Data lives under TASKGATE_DATA_DIR (default ./.taskgate). Ctrl-C stops everything."})
public final class DevCommand implements Callable<Integer> {
    private static final String POSTGRES = "jdbc:postgresql:";

    @Option(names = "--postgres", paramLabel = "URL",
            description = "keep the audit trail in PostgreSQL, e.g. jdbc:postgresql://127.0.0.1:5432/taskgate?user=postgres "
                    + "(the same as TASKGATE_AUDIT_JDBC_URL, which it overrides)")
    String postgres;

    @Override
    public Integer call() {
        ConfigSource config;
        DevEnvironment dev;
        try {
            config = withOptions(ConfigSource.load(System.getenv()));
            PrometheusMeterRegistry metrics = Metrics.newRegistry(config.string(Setting.REGION));
            dev = DevEnvironment.start(config, metrics, Clock.systemUTC());
        } catch (ConfigException e) {
            System.err.println("taskgate dev: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            System.err.println("taskgate dev: could not start: " + e.getMessage());
            return 1;
        }
        System.out.println(dev.readyLine());
        System.out.flush();
        Running running = new Running();
        running.add("dev", dev);
        return Foreground.blockUntilShutdown(running);
    }

    /** The settings with what the command line adds to them. */
    ConfigSource withOptions(ConfigSource config) {
        if (postgres == null) {
            return config;
        }
        if (!postgres.startsWith(POSTGRES)) {
            throw new ConfigException("--postgres: must be a JDBC URL starting with " + POSTGRES + ", got '" + postgres + "'");
        }
        return config.with(Map.of(Setting.AUDIT_JDBC_URL, postgres));
    }
}
