package io.taskgate.launcher.dev;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskgate.launcher.run.Foreground;
import io.taskgate.launcher.run.Running;
import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.ops.Metrics;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "dev", mixinStandardHelpOptions = true,
        description = {
            "Run everything on this machine: an embedded single-node KRaft broker (or the cluster in TASKGATE_KAFKA_BOOTSTRAP),",
            "ingress, policy-stream, one worker pool and the audit sink over SQLite, then print one ready line.",
            "Data lives under TASKGATE_DATA_DIR (default ./.taskgate). Ctrl-C stops everything."})
public final class DevCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        ConfigSource config;
        DevEnvironment dev;
        try {
            config = ConfigSource.load(System.getenv());
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
}
