package io.taskgate.launcher.run;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskgate.audit.AuditSinkConfig;
import io.taskgate.audit.AuditSinkService;
import io.taskgate.ingress.IngressConfig;
import io.taskgate.ingress.IngressService;
import io.taskgate.launcher.access.KafkaAccess;
import io.taskgate.launcher.access.KafkaAccessCheck;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.KafkaSettings;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.kafka.GroupInstances;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.kafka.TopicProvisioner;
import io.taskgate.platform.ops.HealthReport;
import io.taskgate.platform.ops.KafkaHealth;
import io.taskgate.platform.ops.OpsServer;
import io.taskgate.platform.secrets.ToolSecrets;
import io.taskgate.policy.PolicyStreamConfig;
import io.taskgate.policy.PolicyStreamService;
import io.taskgate.schemas.topics.Topics;
import io.taskgate.webhooks.WebhookConfig;
import io.taskgate.webhooks.WebhookService;
import io.taskgate.workers.WorkerConfig;
import io.taskgate.workers.WorkerService;
import io.taskgate.workers.tools.OutsideToolsConfig;
import io.undertow.server.RoutingHandler;
import java.nio.file.Path;
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
        GroupInstances instances = running.add("group instances", GroupInstances.in(Path.of(config.string(Setting.DATA_DIR))));
        this.clients = new KafkaClients(KafkaSettings.from(config), instances);
    }

    public KafkaClients clients() {
        return clients;
    }

    /**
     * Checks that this service's Kafka user holds the rights it needs (one line naming a missing
     * ACL otherwise), then creates the topics this installation needs that do not exist yet; every
     * instance may.
     */
    private void createTopics(KafkaAccess needed) {
        try (Admin admin = clients.newAdmin("taskgate-topics")) {
            new KafkaAccessCheck(admin, clients.settings().bootstrapServers(), TOPIC_TIMEOUT).verify(needed);
            List<String> pools = List.of(config.string(Setting.WORKER_POOL));
            new TopicProvisioner(admin, TopicProvisioner.BROKER_DEFAULT_REPLICATION)
                    .ensure(clients.settings().topics().all(pools), TOPIC_TIMEOUT);
        }
    }

    public IngressService ingress() {
        IngressConfig settings = IngressConfig.from(config);
        createTopics(KafkaAccess.ingress(settings.kafka().topics()));
        IngressService ingress = IngressService.start(settings, clients, metrics, clock);
        return running.add("ingress", ingress, ingress::isReady);
    }

    public PolicyStreamService policy() {
        PolicyStreamConfig settings = PolicyStreamConfig.from(config);
        createTopics(KafkaAccess.policyStream(settings.kafka().topics(), settings.applicationId()));
        PolicyStreamService policy = PolicyStreamService.start(settings, clients, metrics, clock);
        return running.add("policy-stream", policy, policy::isReady);
    }

    public WorkerService worker() {
        WorkerConfig settings = WorkerConfig.from(config);
        createTopics(KafkaAccess.worker(settings.kafka().topics(), settings.pool(), settings.consumerGroup()));
        WorkerService worker = WorkerService.start(settings, OutsideToolsConfig.from(config), ToolSecrets.load(config, System.getenv()),
                clients, metrics, clock);
        return running.add("worker", worker, worker::isReady);
    }

    public AuditSinkService auditSink() {
        AuditSinkConfig settings = AuditSinkConfig.from(config);
        createTopics(KafkaAccess.auditSink(settings.kafka().topics(), settings.consumerGroup()));
        AuditSinkService sink = AuditSinkService.start(settings, clients, metrics, clock);
        return running.add("audit-sink", sink, sink::isReady);
    }

    public WebhookService webhooks() {
        WebhookConfig settings = WebhookConfig.from(config);
        Topics topics = settings.kafka().topics();
        createTopics(KafkaAccess.webhooks(topics, topics.prefix() + "-webhooks", topics.prefix() + "-webhook-delivery"));
        WebhookService webhooks = WebhookService.start(settings, clients, metrics, clock);
        return running.add("webhooks", webhooks, webhooks::isReady);
    }

    /** {@code /health} and {@code /metrics} (plus extra routes) for a service without an API of its own. */
    public OpsServer opsServer(Setting portSetting, BooleanSupplier ready, RoutingHandler extraRoutes) {
        KafkaHealth kafka = running.add("kafka-health", new KafkaHealth(clients.newAdmin("taskgate-health"), Duration.ofSeconds(5), metrics));
        HealthReport health = new HealthReport(clock, kafka::isUp, ready, metrics);
        OpsServer server = new OpsServer(config.string(Setting.HOST), config.port(portSetting), health, metrics, extraRoutes);
        return running.add("http " + portSetting.envName(), server.start());
    }
}
