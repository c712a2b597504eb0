package io.taskgate.workers;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskgate.platform.audit.AuditLog;
import io.taskgate.platform.concurrent.BoundedExecutor;
import io.taskgate.platform.concurrent.OrderedCloser;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.kafka.CompactedTopicView;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.kafka.KafkaSender;
import io.taskgate.platform.ops.ConsumerGroupLag;
import io.taskgate.platform.secrets.ToolSecrets;
import io.taskgate.platform.state.StateStoreClient;
import io.taskgate.schemas.tasks.TaskCancellation;
import io.taskgate.schemas.topics.Topics;
import io.taskgate.tool.api.Tool;
import io.taskgate.workers.cache.ResponseCache;
import io.taskgate.workers.consume.TaskConsumer;
import io.taskgate.workers.consume.ToolSlots;
import io.taskgate.workers.execution.TaskReporter;
import io.taskgate.workers.execution.TaskRunner;
import io.taskgate.workers.plugins.PluginTools;
import io.taskgate.workers.plugins.ToolAnnouncer;
import io.taskgate.workers.plugins.ToolPluginLoader;
import io.taskgate.workers.plugins.WorkerToolContext;
import io.taskgate.workers.resilience.ToolPolicy;
import io.taskgate.workers.resilience.ToolResilience;
import io.taskgate.workers.tools.BuiltInTools;
import io.taskgate.workers.tools.OutsideToolsConfig;
import io.taskgate.workers.tools.ToolRegistry;
import io.taskgate.workers.tools.http.FetchClient;
import io.taskgate.workers.tools.http.SsrfGuard;
import io.taskgate.workers.tools.http.TargetGuard;
import io.taskgate.workers.tools.state.StateTool;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker of one pool: consumes the pool's ready topic in the pool's consumer group and runs its
 * tasks with the built-in tools and the tool plug-ins it finds, which it announces so ingress
 * accepts their tasks. Start more instances to scale out; Kafka spreads the partitions.
 */
public final class WorkerService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerService.class);
    private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);
    private static final Duration CANCELLATIONS_CATCH_UP = Duration.ofSeconds(10);
    private static final int MAX_POLL_RECORDS = 500;
    private static final Duration LAG_INTERVAL = Duration.ofSeconds(10);
    private static final int TIMER_THREADS = 2;
    /** Threads for the address guard's blocking name lookups. */
    private static final int MAX_RESOLVER_THREADS = 16;
    /** Threads for SMTP sessions, which block; more e-mails wait their turn. */
    private static final int MAX_MAIL_THREADS = 8;
    private static final int STATE_THREADS = 4;
    /** Threads for plug-in tools' blocking calls; more wait their turn. */
    private static final int MAX_PLUGIN_THREADS = 16;
    /** Well within the tools topic's retention, so a running worker's announcement never ages out. */
    private static final Duration ANNOUNCE_INTERVAL = Topics.TOOLS_RETENTION.dividedBy(24);
    private static final Duration ANNOUNCE_WAIT = Duration.ofSeconds(10);

    private final TaskConsumer consumer;
    private final Thread pollThread;
    private final OrderedCloser resources;
    private final Gauge inFlight;
    private final PrometheusMeterRegistry metrics;
    private final Duration shutdownGrace;
    private final AtomicBoolean closed = new AtomicBoolean();

    private WorkerService(TaskConsumer consumer, Thread pollThread, OrderedCloser resources, Gauge inFlight,
                          PrometheusMeterRegistry metrics, Duration shutdownGrace) {
        this.shutdownGrace = shutdownGrace;
        this.consumer = consumer;
        this.pollThread = pollThread;
        this.resources = resources;
        this.inFlight = inFlight;
        this.metrics = metrics;
    }

    public static WorkerService start(WorkerConfig config, KafkaClients clients, PrometheusMeterRegistry metrics, Clock clock) {
        return start(config, OutsideToolsConfig.from(ConfigSource.of(Map.of())), ToolSecrets.none(), clients, metrics, clock);
    }

    /**
     * @param outside where the outside services are and each tool's settings
     * @param secrets the tools' keys and passwords
     */
    public static WorkerService start(WorkerConfig config, OutsideToolsConfig outside, ToolSecrets secrets, KafkaClients clients,
                                      PrometheusMeterRegistry metrics, Clock clock) {
        String pool = config.pool();
        String clientId = "taskgate-worker-" + pool + "-" + UUID.randomUUID().toString().substring(0, 8);
        Topics topics = config.kafka().topics();
        OrderedCloser resources = new OrderedCloser();
        try {
            // Every attempt schedules a timeout that is usually cancelled; the pool drops those at once.
            ScheduledExecutorService scheduler = BoundedExecutor.scheduled("worker-" + pool + "-timer", TIMER_THREADS, metrics);
            resources.add("timers", scheduler::shutdownNow);
            // At most one lookup, and one SMTP session, per task in flight, so queues of that size are never full.
            ExecutorService resolvers = BoundedExecutor.create("worker-" + pool + "-dns",
                    Math.min(config.concurrency(), MAX_RESOLVER_THREADS), config.concurrency(), metrics);
            resources.add("resolvers", resolvers::shutdownNow);
            ExecutorService mail = BoundedExecutor.create("worker-" + pool + "-smtp",
                    Math.min(config.concurrency(), MAX_MAIL_THREADS), config.concurrency(), metrics);
            resources.add("mail", mail::shutdownNow);
            KafkaSender sender = new KafkaSender(clients.newProducer(clientId));
            resources.add(sender);
            CompactedTopicView<TaskCancellation> cancellations =
                    new CompactedTopicView<>(topics.cancellations(), clients.newConsumer(clientId + "-cancellations", null));
            resources.add(cancellations);
            cancellations.start();
            if (!cancellations.awaitCaughtUp(CANCELLATIONS_CATCH_UP)) {
                LOG.warn("cancellations not read within {}; a task cancelled just now may still run", CANCELLATIONS_CATCH_UP);
            }

            FetchClient fetch = FetchClient.start(BuiltInTools.httpFetchTimeout(config, outside.tools()));
            resources.add("http_fetch client", fetch::close);
            StateStoreClient state = resources.add(new StateStoreClient(topics, clients, sender, clientId, clock,
                    BuiltInTools.STATE_WRITE_TIMEOUT));
            state.start();
            if (!state.awaitCaughtUp(CANCELLATIONS_CATCH_UP)) {
                LOG.warn("state not read within {}; state.get may miss a recent write", CANCELLATIONS_CATCH_UP);
            }
            ExecutorService stateWriters = BoundedExecutor.create("worker-" + pool + "-state", STATE_THREADS, config.concurrency(), metrics);
            resources.add("state writers", stateWriters::shutdownNow);
            ToolRegistry builtIn = BuiltInTools.create(config, outside, secrets, guard(config), scheduler, resolvers, mail, fetch,
                    new StateTool(state, stateWriters, clock), clock);
            ExecutorService pluginWork = BoundedExecutor.create("worker-" + pool + "-plugins",
                    Math.min(config.concurrency(), MAX_PLUGIN_THREADS), config.concurrency(), metrics);
            resources.add("plug-in threads", pluginWork::shutdownNow);
            ToolPluginLoader plugins = resources.add("tool plug-ins",
                    ToolPluginLoader.load(WorkerService.class.getClassLoader(), config.toolPlugins()));
            List<Tool> pluginTools = PluginTools.create(plugins.providers(),
                    new WorkerToolContext(pool, secrets, outside.tools(), scheduler, pluginWork, clock), builtIn.toolNames());
            ToolRegistry tools = builtIn.with(pluginTools);
            List<ToolPolicy> policies = new ArrayList<>(BuiltInTools.policies(config, outside.tools()));
            policies.addAll(PluginTools.policies(pluginTools, outside.tools()));
            ToolResilience resilience = new ToolResilience(policies, scheduler, clock, Map.of("pool", pool));
            resilience.bindTo(metrics);
            resilience.bindGatewayMeters(metrics, pool);

            TaskReporter reporter = new TaskReporter(sender, topics, new AuditLog(sender, topics, "worker", scheduler, clock, metrics),
                    scheduler, clock, metrics);
            ResponseCache cache = new ResponseCache(outside.tools().cacheTtls(), metrics, Ticker.systemTicker());
            TaskRunner runner = new TaskRunner(tools, resilience, reporter,
                    taskId -> cancellations.get(taskId).isPresent(), clock, metrics, pool, cache, secrets.redactor());

            Map<String, Object> consumerConfig = clients.consumerConfig(clientId, config.consumerGroup());
            consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(config.concurrency(), MAX_POLL_RECORDS));
            // A worker joining or leaving moves only the partitions that change hands; the eager
            // default would revoke every partition of every worker, and with it all work in flight.
            consumerConfig.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
            KafkaConsumer<byte[], byte[]> kafkaConsumer = new KafkaConsumer<>(consumerConfig);
            resources.add("consumer metrics", new KafkaClientMetrics(kafkaConsumer)).bindTo(metrics);
            resources.add(new ConsumerGroupLag(clients.newAdmin(clientId + "-lag"), List.of(config.consumerGroup()), LAG_INTERVAL, metrics));
            TaskConsumer consumer = new TaskConsumer(kafkaConsumer, config.readyTopic(), runner, config.concurrency(),
                    new ToolSlots(outside.tools().concurrencyLimits()), COMMIT_INTERVAL, config.shutdownGrace());
            Gauge inFlight = Gauge.builder("taskgate_worker_in_flight", consumer, TaskConsumer::inFlight)
                    .description("tasks this worker is running now")
                    .tag("pool", pool)
                    .register(metrics);
            Gauge.builder("taskgate_worker_partitions", consumer, TaskConsumer::partitions)
                    .description("partitions of the pool's ready topic this worker owns")
                    .tag("pool", pool)
                    .register(metrics);
            FunctionCounter.builder("taskgate_worker_finished_skipped", consumer, TaskConsumer::skippedFinished)
                    .description("tasks not run again after a rebalance because they had finished before their partition moved")
                    .tag("pool", pool)
                    .register(metrics);
            ToolAnnouncer announcer = resources.add(new ToolAnnouncer(sender, topics.tools(), pool, clientId, tools.taskNames(),
                    scheduler, clock, ANNOUNCE_INTERVAL));
            if (!announcer.start(ANNOUNCE_WAIT)) {
                LOG.warn("tools not announced on {} within {}; ingress accepts plug-in tasks once they are", topics.tools().name(),
                        ANNOUNCE_WAIT);
            }
            Thread pollThread = new Thread(consumer, "worker-" + pool + "-poll");
            pollThread.setDaemon(true);
            pollThread.start();
            LOG.info("worker of pool {} started: group {}, up to {} tasks at once, plug-in tools {}", pool, config.consumerGroup(),
                    config.concurrency(), pluginTools.stream().map(Tool::name).sorted().toList());
            return new WorkerService(consumer, pollThread, resources, inFlight, metrics, config.shutdownGrace());
        } catch (RuntimeException e) {
            resources.close();
            throw e;
        }
    }

    /** The address guard of http_fetch, which the outside services' base URLs pass too. */
    private static TargetGuard guard(WorkerConfig config) {
        if (config.allowPrivateAddresses()) {
            LOG.warn("tools may reach loopback and private addresses ({} is on)", Setting.HTTP_FETCH_ALLOW_PRIVATE.envName());
            return TargetGuard.allowAll();
        }
        return SsrfGuard.usingSystemResolver(config.allowedRanges());
    }

    /** True once the worker joined its consumer group, until it stops. */
    public boolean isReady() {
        return !closed.get() && consumer.isReady();
    }

    /**
     * Stops taking tasks, lets those in flight finish within the shutdown grace, commits what is
     * done (never past a task still running, which another worker then runs), and closes.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        consumer.stop();
        try {
            pollThread.join(shutdownGrace.plusSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!consumer.isStopped()) {
            LOG.warn("worker consumer did not stop in time");
        }
        metrics.remove(inFlight);
        resources.close();
    }
}
