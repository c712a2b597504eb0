package io.taskgate.launcher.run;

import io.taskgate.audit.AuditSinkService;
import io.taskgate.launcher.admin.PolicyCommand;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.webhooks.WebhookService;
import io.taskgate.workers.WorkerService;
import io.taskgate.policy.PolicyStreamService;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** One service per process, against {@code TASKGATE_KAFKA_BOOTSTRAP}; start more to scale out. */
public final class ServiceCommands {
    private ServiceCommands() {
    }

    @Command(name = "ingress", mixinStandardHelpOptions = true,
            description = "Run ingress: the HTTP API on TASKGATE_PORT (tasks, admin, status view).")
    public static final class Ingress implements Callable<Integer> {
        @Override
        public Integer call() {
            return Foreground.run("ingress", ConfigSource.load(System.getenv()), services -> {
                services.ingress();
            });
        }
    }

    @Command(name = "policy", mixinStandardHelpOptions = true,
            description = {"Run policy-stream: the Kafka Streams app deciding allow / deny (HTTP /health and /metrics on TASKGATE_POLICY_PORT).",
                "With apply or show: the policy in force, through the admin API of TASKGATE_URL."},
            subcommands = {PolicyCommand.Apply.class, PolicyCommand.Show.class})
    public static final class Policy implements Callable<Integer> {
        @Override
        public Integer call() {
            return Foreground.run("policy-stream", ConfigSource.load(System.getenv()), services -> {
                PolicyStreamService policy = services.policy();
                services.opsServer(Setting.POLICY_PORT, policy::isReady, null);
            });
        }
    }

    @Command(name = "worker", mixinStandardHelpOptions = true,
            description = "Run a worker of one pool (HTTP /health and /metrics on TASKGATE_WORKER_PORT).")
    public static final class Worker implements Callable<Integer> {
        @Option(names = "--pool", description = "the pool to serve (default: TASKGATE_WORKER_POOL, else 'default')")
        String pool;

        @Override
        public Integer call() {
            ConfigSource config = ConfigSource.load(System.getenv());
            if (pool != null) {
                config = config.with(Map.of(Setting.WORKER_POOL, pool));
            }
            return Foreground.run("worker", config, services -> {
                WorkerService worker = services.worker();
                services.opsServer(Setting.WORKER_PORT, worker::isReady, null);
            });
        }
    }

    @Command(name = "audit-sink", mixinStandardHelpOptions = true,
            description = "Run the audit sink: taskgate.audit into the audit database; GET /api/audit on TASKGATE_AUDIT_PORT.")
    public static final class AuditSink implements Callable<Integer> {
        @Override
        public Integer call() {
            return Foreground.run("audit-sink", ConfigSource.load(System.getenv()), services -> {
                AuditSinkService sink = services.auditSink();
                services.opsServer(Setting.AUDIT_PORT, sink::isReady, sink.routes());
            });
        }
    }

    @Command(name = "webhooks", mixinStandardHelpOptions = true,
            description = "Run the webhook deliverer: signed callbacks when tasks end, retried on TASKGATE_WEBHOOK_RETRY_SCHEDULE "
                    + "(HTTP /health and /metrics on TASKGATE_WEBHOOK_PORT).")
    public static final class Webhooks implements Callable<Integer> {
        @Override
        public Integer call() {
            return Foreground.run("webhooks", ConfigSource.load(System.getenv()), services -> {
                WebhookService webhooks = services.webhooks();
                services.opsServer(Setting.WEBHOOK_PORT, webhooks::isReady, null);
            });
        }
    }
}
