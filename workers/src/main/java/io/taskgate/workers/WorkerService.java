package io.taskgate.workers;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskgate.platform.audit.AuditLog;
import io.taskgate.platform.concurrent.BoundedExecutor;
import io.taskgate.platform.concurrent.OrderedCloser;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.kafka.CompactedTopicView;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.kafka.KafkaSender;
import io.taskgate.schemas.tasks.TaskCancellation;
import io.taskgate.schemas.tools.ToolCatalog;
import io.taskgate.schemas.topics.Topics;
import io.taskgate.workers.consume.TaskConsumer;
import io.taskgate.workers.execution.TaskReporter;
import io.taskgate.workers.execution.TaskRunner;
import io.taskgate.workers.resilience.ToolPolicy;
import io.taskgate.workers.resilience.ToolResilience;
import io.taskgate.workers.tools.EchoTool;
import io.taskgate.workers.tools.SleepTool;
import io.taskgate.workers.tools.ToolRegistry;
import io.taskgate.workers.tools.http.HttpFetchTool;
import io.taskgate.workers.tools.http.SsrfGuard;
import io.taskgate.workers.tools.http.TargetGuard;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;
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
 * tasks with the built-in tools. Start more instances to scale out; Kafka spreads the partitions.
 */
public final class WorkerService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerService.class);
    private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);
    private static final Duration CANCELLATIONS_CATCH_UP = Duration.ofSeconds(10);
    private static final Duration ECHO_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SLEEP_TIMEOUT_MARGIN = Duration.ofSeconds(5);
    private static final int MAX_POLL_RECORDS = 500;
    private static final int TIMER_THREADS = 2;
    /** Threads for http_fetch's blocking name lookups. */
    private static final int MAX_RESOLVER_THREADS = 16;

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
        String pool = config.pool();
        String clientId = "taskgate-worker-" + pool + "-" + UUID.randomUUID().toString().substring(0, 8);
        Topics topics = config.kafka().topics();
        OrderedCloser resources = new OrderedCloser();
        try {
            // Every attempt schedules a timeout that is usually cancelled; the pool drops those at once.
            ScheduledExecutorService scheduler = BoundedExecutor.scheduled("worker-" + pool + "-timer", TIMER_THREADS, metrics);
            resources.add("timers", scheduler::shutdownNow);
            // At most one lookup per task in flight, so a queue of that size is never full.
            ExecutorService resolvers = BoundedExecutor.create("worker-" + pool + "-dns",
                    Math.min(config.concurrency(), MAX_RESOLVER_THREADS), config.concurrency(), metrics);
            resources.add("resolvers", resolvers::shutdownNow);
            KafkaSender sender = new KafkaSender(clients.newProducer(clientId));
            resources.add(sender);
            CompactedTopicView<TaskCancellation> cancellations =
                    new CompactedTopicView<>(topics.cancellations(), clients.newConsumer(clientId + "-cancellations", null));
            resources.add(cancellations);
            cancellations.start();
            if (!cancellations.awaitCaughtUp(CANCELLATIONS_CATCH_UP)) {
                LOG.warn("cancellations not read within {}; a task cancelled just now may still run", CANCELLATIONS_CATCH_UP);
            }

            ToolRegistry tools = builtInTools(config, scheduler, resolvers, clock);
            ToolResilience resilience = new ToolResilience(builtInPolicies(config), scheduler, clock, Map.of("pool", pool));
            resilience.bindTo(metrics);

            TaskReporter reporter = new TaskReporter(sender, topics, new AuditLog(sender, topics, "worker", clock, metrics),
                    scheduler, clock, metrics);
            TaskRunner runner = new TaskRunner(tools, resilience, reporter,
                    taskId -> cancellations.get(taskId).isPresent(), clock, metrics, pool);

            Map<String, Object> consumerConfig = clients.consumerConfig(clientId, config.consumerGroup());
            consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(config.concurrency(), MAX_POLL_RECORDS));
            // A worker joining or leaving moves only the partitions that change hands; the eager
            // default would revoke every partition of every worker, and with it all work in flight.
            consumerConfig.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
            TaskConsumer consumer = new TaskConsumer(new KafkaConsumer<>(consumerConfig), config.readyTopic(), runner,
                    config.concurrency(), COMMIT_INTERVAL, config.shutdownGrace());
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
            Thread pollThread = new Thread(consumer, "worker-" + pool + "-poll");
            pollThread.setDaemon(true);
            pollThread.start();
            LOG.info("worker of pool {} started: group {}, up to {} tasks at once", pool, config.consumerGroup(), config.concurrency());
            return new WorkerService(consumer, pollThread, resources, inFlight, metrics, config.shutdownGrace());
        } catch (RuntimeException e) {
            resources.close();
            throw e;
        }
    }

    private static ToolRegistry builtInTools(WorkerConfig config, ScheduledExecutorService scheduler, Executor resolvers,
                                             Clock clock) {
        TargetGuard guard = SsrfGuard.usingSystemResolver();
        if (config.allowPrivateAddresses()) {
            LOG.warn("http_fetch may reach loopback and private addresses ({} is on)", Setting.HTTP_FETCH_ALLOW_PRIVATE.envName());
            guard = TargetGuard.allowAll();
        }
        ToolRegistry tools = new ToolRegistry(List.of(
                new EchoTool(),
                new SleepTool(scheduler),
                new HttpFetchTool(HttpFetchTool.newClient(config.httpTimeout()), guard, resolvers, config.httpTimeout(), clock)));
        // Ingress accepts exactly the catalog's names; a worker that ran others, or fewer, would strand tasks.
        ToolCatalog.builtIn().requireImplementedExactlyBy(tools.taskNames());
        return tools;
    }

    private static List<ToolPolicy> builtInPolicies(WorkerConfig config) {
        return List.of(
                ToolPolicy.standard(EchoTool.NAME, ECHO_TIMEOUT),
                // A sleep may last up to its maximum; the timeout is only a backstop.
                ToolPolicy.standard(SleepTool.NAME, SleepTool.MAX_SLEEP.plus(SLEEP_TIMEOUT_MARGIN)),
                ToolPolicy.standard(HttpFetchTool.NAME, config.httpTimeout()));
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
