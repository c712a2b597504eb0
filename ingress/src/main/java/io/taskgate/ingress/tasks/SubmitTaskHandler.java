package io.taskgate.ingress.tasks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskgate.ingress.auth.Authenticator;
import io.taskgate.ingress.auth.Principal;
import io.taskgate.ingress.auth.Right;
import io.taskgate.ingress.http.ApiException;
import io.taskgate.ingress.http.IngressMeters;
import io.taskgate.ingress.http.IngressMeters.Reason;
import io.taskgate.ingress.http.JsonBodies;
import io.taskgate.ingress.http.PathParams;
import io.taskgate.ingress.http.RateLimitHeaders;
import io.taskgate.ingress.http.TraceContexts;
import io.taskgate.ingress.status.TaskStatus;
import io.taskgate.ingress.status.TaskView;
import io.taskgate.platform.audit.AuditLog;
import io.taskgate.platform.audit.Redaction;
import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import io.taskgate.schemas.policy.Policy;
import io.taskgate.schemas.policy.TaskRule;
import io.taskgate.schemas.state.StateLimits;
import io.taskgate.schemas.tasks.TaskIds;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.tasks.TaskName;
import io.taskgate.schemas.tools.KnownTasks;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@code POST /__runner/task/{name}}: checks name, token and headers before reading the body,
 * publishes the task, and answers 202 only once Kafka acknowledged it; with {@code Prefer: wait=N}
 * it holds the answer until the task ends or N seconds pass. An {@code Idempotency-Key} already
 * used with another body is refused (422): the task it named carries its request's fingerprint.
 * That check reads the status view, so two POSTs with one key and different bodies racing within
 * the view's lag (milliseconds) both get 202 and the same task, the first one's.
 *
 * <p>In its {@link Form#PROXY} form it is the seed gateway's synchronous call,
 * {@code POST /api/proxy/{tool}/{action}}: the body is the task's input, the caller always waits
 * 30 s, and the answer is the task's result ({@code 200}) or its error in the error shape.
 */
final class SubmitTaskHandler implements HttpHandler {

    /** How the request names the task and carries its input, and what the answer holds. */
    enum Form {
        /** {@code POST /__runner/task/{name}} with {@code {"input", "callback_url"?}}. */
        TASK,
        /** {@code POST /api/proxy/{tool}/{action}} with the input as the body. */
        PROXY
    }

    private final Form form;
    private final Authenticator authenticator;
    private final Supplier<Policy> policy;
    private final KnownTasks tools;
    private final JsonBodies bodies;
    private final TaskIds taskIds;
    private final TaskPublisher publisher;
    private final TaskReads reads;
    private final AuditLog audit;
    private final MeterRegistry metrics;
    private final CallbackTargets callbacks;
    private final boolean allowHttpCallbacks;
    private final Counter unauthorized;
    private final Counter accepted;
    private final Clock clock;
    private volatile boolean accepting = true;

    SubmitTaskHandler(Form form, Authenticator authenticator, Supplier<Policy> policy, KnownTasks tools, JsonBodies bodies, TaskIds taskIds,
                      TaskPublisher publisher, TaskReads reads, AuditLog audit, MeterRegistry metrics, Clock clock,
                      CallbackTargets callbacks, boolean allowHttpCallbacks) {
        this.form = form;
        this.authenticator = authenticator;
        this.policy = policy;
        this.tools = tools;
        this.bodies = bodies;
        this.taskIds = taskIds;
        this.publisher = publisher;
        this.reads = reads;
        this.audit = audit;
        this.metrics = metrics;
        this.callbacks = callbacks;
        this.allowHttpCallbacks = allowHttpCallbacks;
        this.unauthorized = IngressMeters.refused(metrics, Reason.UNAUTHORIZED);
        this.accepted = IngressMeters.tasksAccepted(metrics);
        this.clock = clock;
    }

    /** From now on every new task is refused with 503: this instance is stopping. */
    void stopAccepting() {
        accepting = false;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (!accepting) {
            throw new ApiException(ErrorDetail.retryable(ErrorCode.UNAVAILABLE,
                    "this ingress instance is stopping; retry (another instance takes the task)", 1));
        }
        String name = form == Form.PROXY
                ? PathParams.get(exchange, "tool") + "." + PathParams.get(exchange, "action")
                : PathParams.get(exchange, "name");
        Policy current = policy.get();
        TaskName taskName = TaskCatalog.resolve(name, current, tools);
        Caller caller = Caller.of(exchange, authenticator);
        authorize(taskName, current, caller);
        Optional<String> idempotencyKey = IdempotencyKey.from(exchange.getRequestHeaders().get(IdempotencyKey.HEADER));
        Duration wait = form == Form.PROXY
                ? WaitPreference.MAX
                : WaitPreference.fromPrefer(exchange.getRequestHeaders().get(WaitPreference.PREFER));
        String clientIp = caller.clientAddress();
        String traceparent = TraceContexts.of(exchange).header();
        bodies.read(exchange, (ex, body) -> {
            SubmitRequest request = form == Form.PROXY ? new SubmitRequest(body, null) : SubmitRequest.from(body, allowHttpCallbacks);
            if (request.callbackUrl() != null && caller.principal().isEmpty()) {
                throw new ApiException(ErrorCode.BAD_REQUEST,
                        "'callback_url' needs an agent's access token: webhooks are signed with the agent's secret");
            }
            StateLimits.refusal(name, request.input(), caller.principal().map(Principal::stateNamespaces).orElse(Set.of()))
                    .ifPresent(refused -> {
                        throw new ApiException(ErrorCode.FORBIDDEN, refused);
                    });
            String taskId = idempotencyKey.map(key -> taskIds.forIdempotencyKey(caller.agentId(), caller.requester(), key))
                    .orElseGet(() -> taskIds.random(caller.agentId()));
            TaskMessage task = new TaskMessage(taskId, name, caller.agentId(), caller.agentName(), request.input(),
                    request.callbackUrl(), caller.requestId(), idempotencyKey.orElse(null), clientIp, clock.instant(), null,
                    traceparent);
            if (idempotencyKey.isEmpty()) {
                Replies.dispatch(ex, SameThreadExecutor.INSTANCE, () -> submit(task, null, caller, wait));
                return;
            }
            String fingerprint = request.fingerprint();
            Replies.dispatch(ex, SameThreadExecutor.INSTANCE, () -> reads.current(taskId, caller)
                    .thenCompose(earlier -> {
                        if (earlier.isPresent() && earlier.get().fingerprint() != null
                                && !earlier.get().fingerprint().equals(fingerprint)) {
                            throw new ApiException(ErrorCode.UNPROCESSABLE,
                                    "this Idempotency-Key was already used with another body; use a new key for a new request");
                        }
                        return submit(task, fingerprint, caller, wait);
                    }));
        });
    }

    /**
     * A token is needed unless the policy marks the task public; for a public task a token only
     * names the owner, so its scope is not checked. A task the policy marks internal is for
     * {@code service} API keys only, and API keys call nothing else.
     */
    private void authorize(TaskName taskName, Policy current, Caller caller) {
        Optional<TaskRule> rule = current.ruleFor(taskName.toString());
        boolean internal = current.isInternal(taskName.toString());
        if (!internal && rule.map(TaskRule::isPublic).orElse(false)) {
            return;
        }
        if (caller.principal().isEmpty()) {
            unauthorized.increment();
            throw new ApiException(ErrorCode.UNAUTHORIZED, "send an access token: Authorization: Bearer <token>");
        }
        Principal principal = caller.principal().get();
        if (internal) {
            if (!principal.has(Right.CALL_INTERNAL)) {
                throw forbidden(taskName, caller, "service_key", "this task is internal: only a service API key may call it");
            }
            return;
        }
        if (principal.isApiKey()) {
            throw forbidden(taskName, caller, "agent_token", "API keys call internal tasks only; use an agent's access token");
        }
        if (!principal.allows(taskName)) {
            String missing = principal.tools().contains(Principal.ANY) || principal.tools().contains(taskName.tool())
                    ? "action '" + taskName.action() + "'"
                    : "tool '" + taskName.tool() + "'";
            throw forbidden(taskName, caller, missing, "the token does not allow " + missing);
        }
    }

    private ApiException forbidden(TaskName taskName, Caller caller, String missing, String message) {
        audit.entry(AuditAction.ACCESS_DENIED).agent(caller.agentId()).request(caller.requestId()).outcome("denied")
                .details(Map.of("task", taskName.toString(), "missing", missing)).publish();
        return new ApiException(ErrorCode.FORBIDDEN, message);
    }

    private CompletableFuture<Reply> submit(TaskMessage task, String fingerprint, Caller caller, Duration wait) {
        return callbacks.check(task.callbackUrl()).thenCompose(checked -> publisher.submit(task, fingerprint)).thenCompose(acked -> {
            recordAccepted(task);
            Reply queued = form == Form.PROXY ? stillRunning(task.taskId(), wait) : Reply.accepted(task.taskId());
            if (wait.compareTo(Duration.ZERO) <= 0) {
                return CompletableFuture.completedFuture(queued);
            }
            return reads.awaitEnd(task.taskId(), caller, wait).thenApply(ended -> ended.map(this::ended).orElse(queued))
                    .thenApply(reply -> withLimits(reply, task.name()));
        });
    }

    /** A held POST knows the limits its task fell under; a RATE_LIMITED denial has set its own headers already. */
    private Reply withLimits(Reply reply, String taskName) {
        Policy current = policy.get();
        return exchange -> {
            if (!exchange.getResponseHeaders().contains(RateLimitHeaders.POLICY)) {
                AppliedLimits.describe(exchange, current, taskName);
            }
            reply.writeTo(exchange);
        };
    }

    private void recordAccepted(TaskMessage task) {
        accepted.increment();
        audit.entry(AuditAction.TASK_ACCEPTED).agent(task.agentId()).task(task.taskId()).request(task.requestId())
                .clientIp(task.clientIp()).trace(task.traceparent()).outcome("accepted")
                .details(Map.of("task", task.name(), "input_hash", Redaction.hash(task.input()),
                        "idempotency_key", task.idempotencyKey() != null))
                .publish();
    }

    /** A proxy call's task that is still running when the wait ends: the caller may follow it by its id. */
    private static Reply stillRunning(String taskId, Duration wait) {
        Reply error = Reply.taskError(ErrorDetail.of(ErrorCode.TIMEOUT, "the task did not end within " + wait.toSeconds()
                + " s; it goes on, follow it at /__runner/tasks/" + taskId), taskId);
        return exchange -> {
            exchange.getResponseHeaders().put(Headers.LOCATION, "/__runner/tasks/" + taskId);
            error.writeTo(exchange);
        };
    }

    /**
     * A task that ended while the caller waited: its view, or for a denial the denial's status. A
     * proxy call gets the result alone, or the task's error in the error shape.
     */
    private Reply ended(TaskView view) {
        if (form == Form.PROXY && view.status() == TaskStatus.SUCCEEDED) {
            return Reply.json(200, view.result());
        }
        if (form == Form.PROXY && view.status() != TaskStatus.REJECTED) {
            ErrorDetail error = view.error() != null ? view.error()
                    : ErrorDetail.of(ErrorCode.TOOL_FAILED, "the task ended " + view.status().wireName());
            return Reply.taskError(error, view.taskId());
        }
        if (view.status() != TaskStatus.REJECTED) {
            return Reply.json(200, view.toBody());
        }
        ErrorDetail error = view.error() != null ? view.error() : ErrorDetail.of(ErrorCode.POLICY_DENIED, "the policy denied this task");
        IngressMeters.tasksRejected(metrics, reasonOf(error)).increment();
        if (error.kind() != ErrorCode.RATE_LIMITED) {
            return Reply.taskError(error, view.taskId());
        }
        ErrorDetail limited = error.retryAfterS() != null ? error : ErrorDetail.retryable(error.kind(), error.message(), 1);
        Policy current = policy.get();
        Reply denial = Reply.taskError(limited, view.taskId());
        return exchange -> {
            AppliedLimits.exhausted(exchange, current, view.name() != null ? view.name() : "", limited.retryAfterS());
            denial.writeTo(exchange);
        };
    }

    private static Reason reasonOf(ErrorDetail error) {
        return switch (error.kind()) {
            case RATE_LIMITED -> Reason.RATE_LIMITED;
            case DOMAIN_BLOCKED -> Reason.BLOCKED;
            default -> Reason.POLICY;
        };
    }
}
