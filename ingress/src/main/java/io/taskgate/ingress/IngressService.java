package io.taskgate.ingress;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskgate.ingress.admin.AgentDirectory;
import io.taskgate.ingress.admin.AgentsApi;
import io.taskgate.ingress.admin.KeysApi;
import io.taskgate.ingress.admin.RevocationApi;
import io.taskgate.ingress.admin.TokensApi;
import io.taskgate.ingress.auth.AdminAuth;
import io.taskgate.ingress.auth.BearerAuthenticator;
import io.taskgate.ingress.auth.ClientAssertionVerifier;
import io.taskgate.ingress.auth.Right;
import io.taskgate.ingress.auth.SelfServiceAuth;
import io.taskgate.ingress.auth.TokenService;
import io.taskgate.ingress.edge.PerIpRateLimiter;
import io.taskgate.ingress.http.BlockingWork;
import io.taskgate.ingress.http.JsonBodies;
import io.taskgate.ingress.http.RouteFallbacks;
import io.taskgate.ingress.http.RouteTable;
import io.taskgate.ingress.identity.ApiKeyDirectory;
import io.taskgate.ingress.identity.AssertionJtis;
import io.taskgate.ingress.identity.Revocations;
import io.taskgate.ingress.ops.OpenApiDocs;
import io.taskgate.ingress.ops.AuditProxy;
import io.taskgate.ingress.ops.StatsHandler;
import io.taskgate.ingress.policy.PolicyApi;
import io.taskgate.ingress.policy.PolicyView;
import io.taskgate.ingress.state.StateApi;
import io.taskgate.ingress.tasks.TaskApi;
import io.taskgate.ingress.tools.AnnouncedTools;
import io.taskgate.ingress.workflows.RunViews;
import io.taskgate.ingress.workflows.RunsApi;
import io.taskgate.ingress.workflows.WorkflowsApi;
import io.taskgate.platform.audit.AuditLog;
import io.taskgate.platform.concurrent.BoundedExecutor;
import io.taskgate.platform.concurrent.OrderedCloser;
import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.kafka.CompactedTopicView;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.kafka.KafkaSender;
import io.taskgate.platform.kafka.SharedState;
import io.taskgate.platform.ops.HealthReport;
import io.taskgate.platform.ops.KafkaHealth;
import io.taskgate.platform.ops.OpsHandlers;
import io.taskgate.platform.state.StateStoreClient;
import io.taskgate.schemas.tools.ToolAnnouncement;
import io.taskgate.schemas.tools.ToolCatalog;
import io.taskgate.schemas.workflows.WorkflowRecord;
import io.taskgate.schemas.workflows.WorkflowRun;
import io.taskgate.schemas.topics.TopicSpec;
import io.taskgate.schemas.topics.Topics;
import io.undertow.server.HttpHandler;
import io.undertow.server.RoutingHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ingress instance: the HTTP edge of Taskgate. {@link #start} builds every part by
 * constructor, starts it, and remembers it; {@link #close} is the one shutdown path and closes
 * them in reverse order, so the server stops taking requests before anything it uses goes away.
 */
public final class IngressService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngressService.class);
    static final String SERVICE = "ingress";
    private static final Duration VIEW_START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);
    /** Short: while Kafka is known down a POST is refused at once, so the sooner it is known the better. */
    private static final Duration KAFKA_HEALTH_INTERVAL = Duration.ofSeconds(1);
    private static final Duration AUDIT_TIMEOUT = Duration.ofSeconds(10);
    private static final int BLOCKING_THREADS = 4;
    private static final int BLOCKING_QUEUE = 64;
    private static final int MAX_TRACKED_CLIENTS = 100_000;
    private static final int MAX_RUN_WAITERS = 10_000;
    private static final int WORKFLOW_THREADS = 2;
    private static final int WORKFLOW_QUEUE = 2_000;

    private final OrderedCloser parts;
    private final IngressServer server;
    private final BooleanSupplier ready;
    private final RouteTable routes;
    private final TaskRoutes tasks;

    private IngressService(OrderedCloser parts, IngressServer server, BooleanSupplier ready, RouteTable routes,
                           TaskRoutes tasks) {
        this.parts = parts;
        this.server = server;
        this.ready = ready;
        this.routes = routes;
        this.tasks = tasks;
    }

    public static IngressService start(IngressConfig config, KafkaClients clients, PrometheusMeterRegistry metrics, Clock clock) {
        return start(config, clients, metrics, clock, IngressService::taskApi);
    }

    static IngressService start(IngressConfig config, KafkaClients clients, PrometheusMeterRegistry metrics, Clock clock,
                                TaskRoutes.Factory taskRoutes) {
        OrderedCloser parts = new OrderedCloser();
        try {
            return assemble(withConcretePort(config), clients, metrics, clock, taskRoutes, parts);
        } catch (RuntimeException e) {
            parts.close();
            throw e;
        }
    }

    /**
     * Port 0 means "any free port", but other instances must be told the real one (the status
     * view routes reads to the instance that owns a task), so it is chosen here, before anything
     * advertises it. Another process could take it before ingress binds; ingress then fails to
     * start with a clear error, which is acceptable for the tests and tools that ask for port 0.
     */
    private static IngressConfig withConcretePort(IngressConfig config) {
        if (config.port() != 0) {
            return config;
        }
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(config.host()))) {
            return config.withPort(probe.getLocalPort(), config.stateDir());
        } catch (IOException e) {
            throw new ConfigException(Setting.HOST, "cannot bind " + config.host() + ": " + e.getMessage());
        }
    }

    private static IngressService assemble(IngressConfig config, KafkaClients clients, PrometheusMeterRegistry metrics, Clock clock,
                                           TaskRoutes.Factory taskRoutes, OrderedCloser parts) {
        Topics topics = config.kafka().topics();
        String instance = SERVICE + "-" + UUID.randomUUID().toString().substring(0, 8);
        KafkaHealth kafkaHealth = parts.add(new KafkaHealth(clients.newAdmin(instance + "-health"), KAFKA_HEALTH_INTERVAL, metrics));
        KafkaSender sender = parts.add(new KafkaSender(clients.newProducer(instance)));
        ScheduledExecutorService auditResends = BoundedExecutor.scheduled("ingress-audit-resends", 1, metrics);
        parts.add("audit resends", auditResends::shutdownNow);
        AuditLog audit = new AuditLog(sender, topics, SERVICE, auditResends, clock, metrics);

        AgentDirectory agents = parts.add(new AgentDirectory(sharedState(topics.agents(), clients, sender, instance)));
        PolicyView policy = parts.add(new PolicyView(sharedState(topics.policies(), clients, sender, instance)));
        Revocations revocations = parts.add(new Revocations(sharedState(topics.revocations(), clients, sender, instance), clock));
        ApiKeyDirectory apiKeys = parts.add(new ApiKeyDirectory(sharedState(topics.apiKeys(), clients, sender, instance)));
        AssertionJtis jtis = parts.add(new AssertionJtis(sharedState(topics.assertionJtis(), clients, sender, instance), clock));
        SharedState<WorkflowRecord> workflows = parts.add(sharedState(topics.workflows(), clients, sender, instance));
        RunViews runs = parts.add(new RunViews(new CompactedTopicView<WorkflowRun>(topics.workflowRuns(),
                clients.newConsumer(instance + "-" + topics.workflowRuns().name(), null)), MAX_RUN_WAITERS));
        StateStoreClient state = parts.add(new StateStoreClient(topics, clients, sender, instance, clock, WRITE_TIMEOUT));
        AnnouncedTools tools = parts.add(new AnnouncedTools(ToolCatalog.builtIn(), new CompactedTopicView<ToolAnnouncement>(
                topics.tools(), clients.newConsumer(instance + "-" + topics.tools().name(), null))));
        agents.start();
        policy.start();
        revocations.start();
        apiKeys.start();
        jtis.start();
        workflows.start();
        runs.start();
        state.start();
        tools.start();
        // Ready means every credential this instance judges is judged as every other instance
        // would: a restarted instance must not honour a revoked token or a deleted key meanwhile.
        if (!agents.awaitCaughtUp(VIEW_START_TIMEOUT) || !policy.awaitCaughtUp(VIEW_START_TIMEOUT)
                || !revocations.awaitCaughtUp(VIEW_START_TIMEOUT) || !apiKeys.awaitCaughtUp(VIEW_START_TIMEOUT)
                || !jtis.awaitCaughtUp(VIEW_START_TIMEOUT) || !workflows.awaitCaughtUp(VIEW_START_TIMEOUT)
                || !state.awaitCaughtUp(VIEW_START_TIMEOUT) || !tools.awaitCaughtUp(VIEW_START_TIMEOUT)) {
            throw new IllegalStateException("ingress could not read the agents, policies, revocations, api-keys, "
                    + "assertion-jtis, workflows, state and tools topics within " + VIEW_START_TIMEOUT.toSeconds()
                    + " s; is Kafka at " + config.kafka().bootstrapServers() + " reachable?");
        }

        TokenService tokens = new TokenService(config.issuer(), config.tokenKid(), config.tokenVerificationKeys(), clock);
        BearerAuthenticator authenticator = new BearerAuthenticator(tokens, agents, revocations::isRevoked, apiKeys, audit, metrics);
        AdminAuth admin = new AdminAuth(config.adminToken(), apiKeys, audit, metrics);
        SelfServiceAuth selfService = new SelfServiceAuth(agents, new ClientAssertionVerifier(config.issuer(), clock), jtis,
                audit, metrics);
        JsonBodies bodies = new JsonBodies(config.maxBodyBytes());
        BlockingWork blocking = parts.add(new BlockingWork(BLOCKING_THREADS, BLOCKING_QUEUE, metrics));
        SecureRandom random = new SecureRandom();

        TaskRoutes tasks = parts.add(taskRoutes.create(new TaskRoutes.Parts(config, clients, sender, authenticator,
                policy, tools, audit, metrics, clock, kafkaHealth::isUp)));
        tasks.start();

        ExecutorService workflowExecutor = BoundedExecutor.create("taskgate-ingress-workflows", WORKFLOW_THREADS, WORKFLOW_QUEUE, metrics);
        parts.add("workflow executor", (AutoCloseable) () -> BoundedExecutor.stop(workflowExecutor, Duration.ofSeconds(5)));

        BooleanSupplier ready = () -> agents.isCaughtUp() && policy.isCaughtUp() && revocations.isCaughtUp()
                && apiKeys.isCaughtUp() && jtis.isCaughtUp() && tasks.isReady() && workflows.isCaughtUp()
                && runs.isCaughtUp() && state.isCaughtUp() && tools.isCaughtUp();
        HealthReport health = new HealthReport(clock, kafkaHealth::isUp, ready, metrics);
        RouteTable routes = new RouteTable();
        routes.get("/health", OpsHandlers.health(health))
                .get("/api/health", OpsHandlers.health(health))
                .get("/metrics", OpsHandlers.metrics(metrics))
                .get("/api/metrics", OpsHandlers.metrics(metrics))
                .get("/api/stats", new StatsHandler(metrics))
                .get("/api/audit", admin.protect(Right.READ_AUDIT,
                        new AuditProxy(auditClient(), config.auditUrl(), config.adminToken(), AUDIT_TIMEOUT, metrics)));
        new AgentsApi(agents, admin, bodies, blocking, audit, clock, random).addRoutes(routes);
        new TokensApi(agents, tokens, authenticator, admin, selfService, bodies, blocking, audit, metrics).addRoutes(routes);
        new RevocationApi(revocations, tokens, admin, bodies, blocking, audit, clock).addRoutes(routes);
        new KeysApi(apiKeys, admin, bodies, blocking, audit, clock, random).addRoutes(routes);
        new PolicyApi(policy, admin, bodies, blocking, audit, clock).addRoutes(routes);
        tasks.addRoutes(routes, admin);
        new WorkflowsApi(workflows, admin, bodies, blocking, audit, tools, clock).addRoutes(routes);
        new RunsApi(workflows, runs, authenticator, bodies, sender, topics, audit, workflowExecutor, clock).addRoutes(routes);
        new StateApi(state, authenticator, bodies, blocking, audit, clock).addRoutes(routes);
        OpenApiDocs.load().addRoutes(routes);
        routes.setFallbackHandler(RouteFallbacks.notFound());
        routes.setInvalidMethodHandler(RouteFallbacks.methodNotAllowed());

        IngressServer server = parts.add(IngressServer.start(config, routes, policy,
                new PerIpRateLimiter(clock, MAX_TRACKED_CLIENTS), metrics));
        LOG.info("ingress listening on {}:{}", config.host(), server.port());
        return new IngressService(parts, server, ready, routes, tasks);
    }

    /** The port the server is bound to (the real one when the config asked for port 0). */
    public int port() {
        return server.port();
    }

    /** Every route this instance answers, as {@code METHOD /template}: what the OpenAPI document must describe. */
    public Set<String> routes() {
        return routes.routes();
    }

    /** Ready when the agents, policies, revocations, API keys and jti claims are read and the task API is ready. */
    public boolean isReady() {
        return ready.getAsBoolean();
    }

    /**
     * The first step of stopping, on its own: new tasks are refused with 503 and held requests are
     * answered now with the task as it is; everything else still answers.
     */
    public void stopAccepting() {
        tasks.stopAccepting();
    }

    /** Stops accepting tasks first, then drains the server and closes the rest. */
    @Override
    public void close() {
        stopAccepting();
        parts.close();
    }

    private static <V> SharedState<V> sharedState(TopicSpec<String, V> topic, KafkaClients clients, KafkaSender sender,
                                                  String instance) {
        CompactedTopicView<V> view = new CompactedTopicView<>(topic, clients.newConsumer(instance + "-" + topic.name(), null));
        return new SharedState<>(topic, view, sender, WRITE_TIMEOUT);
    }

    private static HttpClient auditClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private static TaskRoutes taskApi(TaskRoutes.Parts parts) {
        TaskApi api = new TaskApi(parts.config(), parts.clients(), parts.sender(), parts.authenticator(), parts.policy(),
                parts.tools(), parts.audit(), parts.metrics(), parts.clock(), parts.kafkaUp());
        return new TaskRoutes() {
            @Override
            public void start() {
                api.start();
            }

            @Override
            public boolean isReady() {
                return api.isReady();
            }

            @Override
            public void addRoutes(RoutingHandler routes, AdminAuth admin) {
                api.addRoutes(routes);
                api.addAdminRoutes(routes, admin);
            }

            @Override
            public void stopAccepting() {
                api.stopAccepting();
            }

            @Override
            public void close() {
                api.close();
            }
        };
    }
}
