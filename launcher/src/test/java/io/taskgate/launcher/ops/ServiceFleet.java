package io.taskgate.launcher.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskgate.audit.AuditSinkService;
import io.taskgate.ingress.IngressService;
import io.taskgate.launcher.run.Readiness;
import io.taskgate.launcher.run.Running;
import io.taskgate.launcher.run.Services;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.ops.Metrics;
import io.taskgate.platform.ops.OpsServer;
import io.taskgate.policy.PolicyStreamService;
import io.taskgate.testing.TestKafka;
import io.taskgate.webhooks.WebhookService;
import io.taskgate.workers.WorkerService;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Every service over the test kit's broker, each with a registry of its own as if it ran in its
 * own process: what an operator scrapes. {@link #metricsUrls} names each service's {@code /metrics}.
 */
public final class ServiceFleet implements AutoCloseable {
    private static final Duration READY = Duration.ofSeconds(90);

    private final Running running = new Running();
    private final Map<String, String> metricsUrls = new LinkedHashMap<>();
    private final String adminToken = "fleet-admin-" + UUID.randomUUID();
    private final String ingressUrl;
    private final String workerUrl;

    public ServiceFleet(TestKafka kafka, Path dataDir) {
        this(kafka, dataDir, Map.of());
    }

    /** @param extra settings every service gets besides the fleet's own */
    public ServiceFleet(TestKafka kafka, Path dataDir, Map<Setting, String> extra) {
        Map<Setting, String> settings = new EnumMap<>(Setting.class);
        settings.putAll(extra);
        settings.put(Setting.KAFKA_BOOTSTRAP, kafka.bootstrapServers());
        settings.put(Setting.TOPIC_PREFIX, kafka.topics().prefix());
        settings.put(Setting.DATA_DIR, dataDir.toString());
        settings.put(Setting.ADMIN_TOKEN, adminToken);
        settings.put(Setting.TOKEN_HMAC_SECRET, "fleet-hmac-secret-" + UUID.randomUUID());
        settings.put(Setting.PORT, "0");
        settings.put(Setting.AUDIT_PORT, "0");
        settings.put(Setting.POLICY_PORT, "0");
        settings.put(Setting.WORKER_PORT, "0");
        settings.put(Setting.WEBHOOK_PORT, "0");
        ConfigSource config = ConfigSource.of(settings);
        try {
            Services sinkProcess = process(config);
            AuditSinkService sink = sinkProcess.auditSink();
            OpsServer sinkHttp = sinkProcess.opsServer(Setting.AUDIT_PORT, sink::isReady, sink.routes());
            metricsUrls.put("audit-sink", local(sinkHttp.port()));
            config = config.withDefaults(Map.of(Setting.AUDIT_URL, "http://127.0.0.1:" + sinkHttp.port()));

            Services policyProcess = process(config);
            PolicyStreamService policy = policyProcess.policy();
            metricsUrls.put("policy-stream", local(policyProcess.opsServer(Setting.POLICY_PORT, policy::isReady, null).port()));

            Services workerProcess = process(config);
            WorkerService worker = workerProcess.worker();
            int workerPort = workerProcess.opsServer(Setting.WORKER_PORT, worker::isReady, null).port();
            this.workerUrl = "http://127.0.0.1:" + workerPort;
            metricsUrls.put("worker", local(workerPort));

            Services webhooksProcess = process(config);
            WebhookService webhooks = webhooksProcess.webhooks();
            metricsUrls.put("webhooks", local(webhooksProcess.opsServer(Setting.WEBHOOK_PORT, webhooks::isReady, null).port()));

            IngressService ingress = process(config).ingress();
            this.ingressUrl = "http://127.0.0.1:" + ingress.port();
            metricsUrls.put("ingress", ingressUrl + "/metrics");
            Readiness.await(running, READY);
        } catch (RuntimeException e) {
            running.close();
            throw e;
        }
    }

    private Services process(ConfigSource config) {
        PrometheusMeterRegistry registry = Metrics.newRegistry("test");
        return new Services(config, registry, Clock.systemUTC(), running);
    }

    private static String local(int port) {
        return "http://127.0.0.1:" + port + "/metrics";
    }

    public String ingressUrl() {
        return ingressUrl;
    }

    /** The worker's ops server: {@code /health} and {@code /metrics}. */
    public String workerUrl() {
        return workerUrl;
    }

    public String adminToken() {
        return adminToken;
    }

    /** Service name to the URL of its {@code /metrics}. */
    public Map<String, String> metricsUrls() {
        return metricsUrls;
    }

    @Override
    public void close() {
        running.close();
    }
}
