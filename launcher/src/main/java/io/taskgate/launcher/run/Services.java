package io.taskgate.launcher.run;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskgate.audit.AuditSinkConfig;
import io.taskgate.audit.AuditSinkService;
import io.taskgate.ingress.IngressConfig;
import io.taskgate.ingress.IngressService;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.KafkaSettings;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.kafka.TopicProvisioner;
import io.taskgate.platform.ops.HealthReport;
import io.taskgate.platform.ops.KafkaHealth;
import io.taskgate.platform.ops.OpsServer;
import io.taskgate.policy.PolicyStreamConfig;
import io.taskgate.policy.PolicyStreamService;
import io.taskgate.webhooks.WebhookConfig;
import io.taskgate.webhooks.WebhookService;
import io.taskgate.workers.WorkerConfig;
import io.taskgate.workers.WorkerService;
import io.undertow.server.RoutingHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;

/**
 * Starts Taskgate's services in one process from one configuration. Each start reads and checks
 * its settings first, so a bad setting is reported before anything reaches for Kafka; then it
 * creates the topics that are missing (every instance may), then starts the service. Each start
 * registers what it made with {@link Running}, so a command stops everything it started, in
 * reverse order.
 */
public final class Services {
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);

    private final ConfigSource config;
    private final PrometheusMeterRegistry metrics;
    private final Clock clock;
    private final Running running;
    private final KafkaClients clients;

    public Services(ConfigSource config, PrometheusMeterRegistry metrics, Clock clock, Running running) {
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
        this.running = running;
        this.clients = new KafkaClients(KafkaSettings.from(config));
    }

    public KafkaClients clients() {
        return clients;
    }

    /** Creates the topics this installation needs that do not exist yet; every instance may. */
    private void createTopics() {
        try (Admin admin = clients.newAdmin("taskgate-topics")) {
            List<String> pools = List.of(config.string(Setting.WORKER_POOL));
            new TopicProvisioner(admin, TopicProvisioner.BROKER_DEFAULT_REPLICATION)
                    .ensure(clients.settings().topics().all(pools), TOPIC_TIMEOUT);
        }
    }

    public IngressService ingress() {
        IngressConfig settings = IngressConfig.from(config);
        createTopics();
        IngressService ingress = IngressService.start(settings, clients, metrics, clock);
        return running.add("ingress", ingress, ingress::isReady);
    }

    public PolicyStreamService policy() {
        PolicyStreamConfig settings = PolicyStreamConfig.from(config);
        createTopics();
        PolicyStreamService policy = PolicyStreamService.start(settings, clients, metrics, clock);
        return running.add("policy-stream", policy, policy::isReady);
    }

    public WorkerService worker() {
        WorkerConfig settings = WorkerConfig.from(config);
        createTopics();
        WorkerService worker = WorkerService.start(settings, clients, metrics, clock);
        return running.add("worker", worker, worker::isReady);
    }

    public AuditSinkService auditSink() {
        AuditSinkConfig settings = AuditSinkConfig.from(config);
        createTopics();
        AuditSinkService sink = AuditSinkService.start(settings, clients, metrics, clock);
        return running.add("audit-sink", sink, sink::isReady);
    }

    public WebhookService webhooks() {
        WebhookConfig settings = WebhookConfig.from(config);
        createTopics();
        WebhookService webhooks = WebhookService.start(settings, clients, metrics, clock);
        return running.add("webhooks", webhooks, webhooks::isReady);
    }

    /** {@code /health} and {@code /metrics} (plus extra routes) for a service without an API of its own. */
    public OpsServer opsServer(Setting portSetting, BooleanSupplier ready, RoutingHandler extraRoutes) {
        KafkaHealth kafka = running.add("kafka-health", new KafkaHealth(clients.newAdmin("taskgate-health"), Duration.ofSeconds(5), metrics));
        HealthReport health = new HealthReport(clock, kafka::isUp, ready);
        OpsServer server = new OpsServer(config.string(Setting.HOST), config.port(portSetting), health, metrics, extraRoutes);
        return running.add("http " + portSetting.envName(), server.start());
    }
}
