package io.taskgate.ingress.tasks;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskgate.ingress.IngressConfig;
import io.taskgate.ingress.auth.AdminAuth;
import io.taskgate.ingress.auth.Authenticator;
import io.taskgate.ingress.auth.Right;
import io.taskgate.ingress.http.JsonBodies;
import io.taskgate.ingress.http.RequestMetricsHandler;
import io.taskgate.ingress.status.TaskStatusService;
import io.taskgate.ingress.status.TaskStatusStore;
import io.taskgate.ingress.status.TaskStatusStreamsConfig;
import io.taskgate.ingress.status.TaskStatusTopology;
import io.taskgate.ingress.status.TaskStatusWaits;
import io.taskgate.ingress.status.TaskWaiters;
import io.taskgate.platform.audit.AuditLog;
import io.taskgate.platform.concurrent.BoundedExecutor;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.kafka.KafkaSender;
import io.taskgate.platform.net.TargetAddresses;
import io.taskgate.platform.ops.ConsumerGroupLag;
import io.taskgate.schemas.policy.Policy;
import io.taskgate.schemas.tasks.TaskIds;
import io.taskgate.schemas.tools.KnownTasks;
import io.taskgate.schemas.topics.Topics;
import io.undertow.server.RoutingHandler;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The task API of ingress: accepting tasks ({@code POST /__runner/task/{name}}), their status view
 * ({@code GET /__runner/tasks/{id}}, long-polling, {@code Prefer: wait}) and cancelling
 * ({@code DELETE /__runner/tasks/{id}}), and the seed gateway's synchronous
 * {@code POST /api/proxy/{tool}/{action}}. The status view is a Kafka Streams app shared by all
 * ingress instances, so any instance answers for any task.
 */
public final class TaskApi implements AutoCloseable {
    /** Requests held open at once on one instance; each is an open connection and a waiter. */
    static final int MAX_WAITERS = 10_000;
    private static final int PUBLISH_THREADS = 4;
    private static final int PUBLISH_QUEUE = 2_000;
    /**
     * Tasks being published at once, beyond which a POST is refused with 503 at once. On two cores
     * the whole pipeline accepts about 2,000 tasks a second, so this is ~130 ms of work: enough to
     * ride out a burst, while more would only make every caller wait longer for the same throughput
     * (bench/overload.sh measures it).
     */
    static final int MAX_PUBLISHING = 256;
    private static final int STATUS_THREADS = 2;
    private static final int STATUS_QUEUE = MAX_WAITERS;
    /**
     * How often the status view looks for tasks past their retention, and how many entries each look
     * reads: 10,000 a minute covers a store of millions of tasks in hours, each pass a few ms long.
     */
    private static final Duration STATUS_PURGE_INTERVAL = Duration.ofMinutes(1);
    private static final int STATUS_PURGE_BATCH = 10_000;
    private static final Duration LAG_INTERVAL = Duration.ofSeconds(10);

    private final TaskStatusService statusService;
    private final ConsumerGroupLag statusLag;
    private final ExecutorService publishExecutor;
    private final ExecutorService statusExecutor;
    private final SubmitTaskHandler submit;
    private final SubmitTaskHandler proxy;
    private final TaskStatusHandler status;
    private final CancelTaskHandler cancel;
    private final TaskWaiters waiters;
    private final RedeliverHandler redeliver;

    /**
     * @param tools   the task names some worker runs; others are answered 404 unless the policy routes them
     * @param kafkaUp whether Kafka answers now; while it does not, tasks are refused at once
     */
    public TaskApi(IngressConfig config, KafkaClients clients, KafkaSender sender, Authenticator authenticator,
                   Supplier<Policy> policy, KnownTasks tools, AuditLog audit, MeterRegistry metrics, Clock clock,
                   BooleanSupplier kafkaUp) {
        Topics topics = config.kafka().topics();
        this.publishExecutor = BoundedExecutor.create("taskgate-ingress-publish", PUBLISH_THREADS, PUBLISH_QUEUE, metrics);
        this.statusExecutor = BoundedExecutor.create("taskgate-ingress-status", STATUS_THREADS, STATUS_QUEUE, metrics);
        this.waiters = new TaskWaiters(MAX_WAITERS);
        Properties statusConfig = TaskStatusStreamsConfig.of(clients.settings().bootstrapServers(), topics.prefix(),
                config.advertisedUrl(), config.stateDir(), config.port());
        statusConfig.putAll(clients.streamsConnection(statusConfig.getProperty(StreamsConfig.APPLICATION_ID_CONFIG)));
        this.statusService = new TaskStatusService(
                TaskStatusTopology.build(topics.taskEvents(), waiters::update, config.taskRetention(), STATUS_PURGE_INTERVAL,
                        STATUS_PURGE_BATCH),
                statusConfig, waiters, metrics);
        String statusGroup = statusConfig.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        this.statusLag = new ConsumerGroupLag(clients.newAdmin(statusGroup + "-lag-" + config.port()), List.of(statusGroup),
                LAG_INTERVAL, metrics);
        TaskStatusStore statusStore = new TaskStatusStore(statusService, config.advertisedUrl());
        TaskStatusWaits waits = new TaskStatusWaits(statusStore, waiters, statusExecutor);
        OwnerForwarder forwarder = new OwnerForwarder(config.advertisedUrl());
        TaskIds taskIds = TaskIds.keyedBy(config.tokenHmacSecret(), new SecureRandom());
        TaskAccess access = new TaskAccess(taskIds, metrics);
        TaskReads reads = new TaskReads(statusStore, waits, forwarder, access, statusExecutor, clock);
        TaskPublisher publisher = new TaskPublisher(sender, topics, publishExecutor, kafkaUp, MAX_PUBLISHING, clock, metrics);
        Gauge.builder("taskgate_ingress_task_waiters", waiters, TaskWaiters::size)
                .description("requests held open waiting for a task to change")
                .register(metrics);
        CallbackTargets callbacks = new CallbackTargets(TargetAddresses.usingSystemResolver(config.allowPrivateTargets()),
                publishExecutor);
        JsonBodies bodies = new JsonBodies(config.maxBodyBytes());
        this.submit = new SubmitTaskHandler(SubmitTaskHandler.Form.TASK, authenticator, policy, tools, bodies, taskIds, publisher,
                reads, audit, metrics, clock, callbacks, config.webhookAllowHttp());
        this.proxy = new SubmitTaskHandler(SubmitTaskHandler.Form.PROXY, authenticator, policy, tools, bodies, taskIds, publisher,
                reads, audit, metrics, clock, callbacks, config.webhookAllowHttp());
        this.status = new TaskStatusHandler(authenticator, access, reads);
        this.cancel = new CancelTaskHandler(authenticator, statusStore, forwarder, access, publisher, audit);
        this.redeliver = new RedeliverHandler(statusStore, sender, topics, audit, clock);
    }

    /** Starts the status view; it becomes ready once its Streams app is running. */
    public void start() {
        statusService.start();
    }

    public boolean isReady() {
        return statusService.isReady();
    }

    public void addRoutes(RoutingHandler routes) {
        routes.post(RequestMetricsHandler.TASK_ROUTE, submit)
                .post("/api/proxy/{tool}/{action}", proxy)
                .get("/__runner/tasks/{id}", status)
                .delete("/__runner/tasks/{id}", cancel);
    }

    /** New tasks are refused with 503; held requests are answered now with the task as it is. */
    public void stopAccepting() {
        submit.stopAccepting();
        waiters.releaseAll();
    }

    /** {@code POST /api/tasks/{id}/redeliver}, behind the admin token or an API key whose role may manage. */
    public void addAdminRoutes(RoutingHandler routes, AdminAuth admin) {
        routes.post("/api/tasks/{id}/redeliver", admin.protect(Right.MANAGE, redeliver));
    }

    @Override
    public void close() {
        statusLag.close();
        statusService.close();
        publishExecutor.shutdown();
        statusExecutor.shutdown();
    }
}
