package io.taskgate.ingress.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.taskgate.ingress.auth.Authenticator;
import io.taskgate.ingress.auth.Principal;
import io.taskgate.ingress.http.ApiException;
import io.taskgate.ingress.http.JsonBodies;
import io.taskgate.ingress.http.PathParams;
import io.taskgate.ingress.tasks.Replies;
import io.taskgate.ingress.tasks.Reply;
import io.taskgate.ingress.tasks.WaitPreference;
import io.taskgate.platform.audit.AuditLog;
import io.taskgate.platform.http.JsonResponses;
import io.taskgate.platform.http.RequestIds;
import io.taskgate.platform.kafka.KafkaSender;
import io.taskgate.platform.kafka.SharedState;
import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import io.taskgate.schemas.tasks.TaskName;
import io.taskgate.schemas.topics.Topics;
import io.taskgate.schemas.workflows.RunCommand;
import io.taskgate.schemas.workflows.RunIds;
import io.taskgate.schemas.workflows.StepRun;
import io.taskgate.schemas.workflows.WorkflowRecord;
import io.taskgate.schemas.workflows.WorkflowRun;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Workflow runs: {@code POST /__runner/workflow/{name}} starts one ({@code 202} and its
 * {@code Location}; with {@code Prefer: wait=N} the end if it comes in time), {@code GET
 * /__runner/workflows/{id}[?wait=N]} shows it and every step, {@code DELETE} cancels the steps not
 * yet started. The caller's token must allow every step's task, checked before anything starts.
 */
public final class RunsApi {
    /** How long a read of a run just accepted waits for the coordinator's first view of it. */
    private static final Duration FIRST_VIEW_GRACE = Duration.ofSeconds(3);
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(5);

    private final SharedState<WorkflowRecord> workflows;
    private final RunViews views;
    private final Authenticator authenticator;
    private final JsonBodies bodies;
    private final KafkaSender sender;
    private final Topics topics;
    private final AuditLog audit;
    private final Executor executor;
    private final RunIds runIds = new RunIds(new SecureRandom());
    private final Clock clock;

    public RunsApi(SharedState<WorkflowRecord> workflows, RunViews views, Authenticator authenticator, JsonBodies bodies,
                   KafkaSender sender, Topics topics, AuditLog audit, Executor executor, Clock clock) {
        this.workflows = workflows;
        this.views = views;
        this.authenticator = authenticator;
        this.bodies = bodies;
        this.sender = sender;
        this.topics = topics;
        this.audit = audit;
        this.executor = executor;
        this.clock = clock;
    }

    public void addRoutes(RoutingHandler routes) {
        routes.post("/__runner/workflow/{name}", this::start)
                .get("/__runner/workflows/{id}", this::read)
                .delete("/__runner/workflows/{id}", this::cancel);
    }

    private void start(HttpServerExchange exchange) {
        String name = WorkflowsApi.name(exchange);
        Principal principal = principal(exchange);
        WorkflowRecord workflow = workflows.get(name).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no workflow " + name));
        String requestId = RequestIds.of(exchange);
        authorize(workflow, principal, requestId);
        Duration wait = WaitPreference.fromPrefer(exchange.getRequestHeaders().get(WaitPreference.PREFER));
        bodies.readOrEmpty(exchange, (ex, body) -> {
            WorkflowRun run = newRun(workflow, principal, body);
            Replies.dispatch(ex, SameThreadExecutor.INSTANCE, () -> publish(run, requestId, wait));
        });
    }

    private void authorize(WorkflowRecord workflow, Principal principal, String requestId) {
        workflow.definition().steps().forEach((id, step) -> {
            if (!principal.allows(TaskName.parse(step.task()))) {
                audit.entry(AuditAction.ACCESS_DENIED).agent(principal.agentId()).request(requestId).outcome("denied")
                        .details(Map.of("workflow", workflow.name(), "step", id, "task", step.task())).publish();
                throw new ApiException(ErrorCode.FORBIDDEN, "the token does not allow task '" + step.task() + "' of step '" + id + "'");
            }
        });
    }

    private WorkflowRun newRun(WorkflowRecord workflow, Principal principal, JsonNode body) {
        if (!body.isObject()) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "send {\"input\": {...}, \"callback_url\"?: \"https://...\"}");
        }
        JsonNode input = body.has("input") ? body.get("input") : NullNode.getInstance();
        String callbackUrl = CallbackUrls.parse(body.get("callback_url"));
        Map<String, StepRun> steps = new LinkedHashMap<>();
        workflow.definition().steps().forEach((id, step) -> steps.put(id, StepRun.waiting(step.task())));
        return new WorkflowRun(runIds.next(), workflow.name(), workflow.version(), WorkflowRun.Status.RUNNING, principal.agentId(),
                principal.agentName(), principal.stateNamespaces().stream().sorted().toList(), input, callbackUrl,
                workflow.definition(), steps, null, clock.instant().truncatedTo(ChronoUnit.MILLIS), null);
    }

    private CompletableFuture<Reply> publish(WorkflowRun run, String requestId, Duration wait) {
        return sender.send(topics.workflowCommands(), run.runId(), RunCommand.start(run, requestId, clock.instant()))
                .handleAsync((acked, error) -> {
                    if (error != null) {
                        throw new ApiException(ErrorDetail.retryable(ErrorCode.UNAVAILABLE, "Kafka did not take the run; retry", 2));
                    }
                    return run;
                }, executor)
                .thenCompose(accepted -> wait.isZero()
                        ? CompletableFuture.completedFuture(acceptedReply(run))
                        : views.await(run.runId(), WorkflowRun::isEnded, wait).thenApply(seen -> seen.filter(WorkflowRun::isEnded)
                                .map(ended -> Reply.json(200, RunBodies.of(ended))).orElse(acceptedReply(run))));
    }

    private static Reply acceptedReply(WorkflowRun run) {
        String location = "/__runner/workflows/" + run.runId();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ok", true);
        body.put("run_id", run.runId());
        body.put("workflow", run.workflow());
        body.put("version", run.version());
        body.put("status", WorkflowRun.Status.RUNNING.wireName());
        body.put("status_url", location);
        if (run.callbackUrl() != null) {
            body.put("callback", RunBodies.CALLBACK_NOTE);
        }
        return exchange -> {
            exchange.getResponseHeaders().put(Headers.LOCATION, location);
            JsonResponses.send(exchange, 202, body);
        };
    }

    private void read(HttpServerExchange exchange) {
        String runId = runId(exchange);
        Principal principal = principal(exchange);
        Duration wait = WaitPreference.fromQuery(exchange.getQueryParameters().get("wait"));
        Replies.dispatch(exchange, SameThreadExecutor.INSTANCE, () -> firstView(runId)
                .thenCompose(found -> {
                    WorkflowRun run = owned(found, principal);
                    return run.isEnded() ? CompletableFuture.completedFuture(Optional.of(run))
                            : views.await(runId, WorkflowRun::isEnded, wait);
                })
                .thenApply(seen -> Reply.json(200, RunBodies.of(owned(seen, principal)))));
    }

    private void cancel(HttpServerExchange exchange) {
        String runId = runId(exchange);
        Principal principal = principal(exchange);
        String requestId = RequestIds.of(exchange);
        Replies.dispatch(exchange, SameThreadExecutor.INSTANCE, () -> firstView(runId).thenCompose(found -> {
            WorkflowRun run = owned(found, principal);
            if (run.isEnded()) {
                throw new ApiException(ErrorCode.CONFLICT, "the run already ended: " + run.status().wireName());
            }
            return sender.send(topics.workflowCommands(), runId, RunCommand.cancel(runId, principal.agentId(), requestId, clock.instant()))
                    .thenComposeAsync(acked -> views.await(runId, WorkflowRun::isEnded, CANCEL_WAIT), executor)
                    .thenApply(seen -> Reply.json(seen.filter(WorkflowRun::isEnded).isPresent() ? 200 : 202,
                            RunBodies.of(seen.orElse(run))));
        }));
    }

    private CompletableFuture<Optional<WorkflowRun>> firstView(String runId) {
        return views.await(runId, run -> true, FIRST_VIEW_GRACE);
    }

    /** Another agent's run answers exactly as an unknown id, so ids cannot be probed. */
    private static WorkflowRun owned(Optional<WorkflowRun> run, Principal principal) {
        return run.filter(found -> found.agentId().equals(principal.agentId()))
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no such run"));
    }

    private Principal principal(HttpServerExchange exchange) {
        return authenticator.authenticate(exchange)
                .orElseThrow(() -> new ApiException(ErrorCode.UNAUTHORIZED, "send an access token: Authorization: Bearer <token>"));
    }

    private static String runId(HttpServerExchange exchange) {
        String runId = PathParams.get(exchange, "id");
        if (!RunIds.looksValid(runId)) {
            throw new ApiException(ErrorCode.NOT_FOUND, "no such run");
        }
        return runId;
    }
}
