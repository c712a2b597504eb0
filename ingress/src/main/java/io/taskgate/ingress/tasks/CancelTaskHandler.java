package io.taskgate.ingress.tasks;

import io.taskgate.ingress.auth.Authenticator;
import io.taskgate.ingress.http.ApiException;
import io.taskgate.ingress.http.PathParams;
import io.taskgate.ingress.status.Owner;
import io.taskgate.ingress.status.TaskStatus;
import io.taskgate.ingress.status.TaskStatusStore;
import io.taskgate.ingress.status.TaskView;
import io.taskgate.platform.audit.AuditLog;
import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import io.taskgate.platform.logging.LogContext;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code DELETE /__runner/tasks/{id}}: cancels a task that has not started, on the instance owning
 * its status (the only one that can tell whether it has); 409 once it started or ended.
 */
final class CancelTaskHandler implements HttpHandler {
    private final Authenticator authenticator;
    private final TaskStatusStore statuses;
    private final OwnerForwarder forwarder;
    private final TaskAccess access;
    private final TaskPublisher publisher;
    private final AuditLog audit;

    CancelTaskHandler(Authenticator authenticator, TaskStatusStore statuses, OwnerForwarder forwarder, TaskAccess access,
                      TaskPublisher publisher, AuditLog audit) {
        this.authenticator = authenticator;
        this.statuses = statuses;
        this.forwarder = forwarder;
        this.access = access;
        this.publisher = publisher;
        this.audit = audit;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        String taskId = PathParams.get(exchange, "id");
        LogContext.add(LogContext.TASK_ID, taskId);
        Caller caller = Caller.of(exchange, authenticator);
        access.admit(taskId, caller);
        Replies.dispatch(exchange, exchange.getConnection().getWorker(), () -> cancel(taskId, caller));
    }

    private CompletableFuture<Reply> cancel(String taskId, Caller caller) {
        Owner owner = statuses.ownerOf(taskId);
        if (owner instanceof Owner.Remote remote) {
            return forwarder.forward(remote, "DELETE", taskId, Duration.ZERO, caller).thenApply(Reply::relay);
        }
        TaskView current = access.check(statuses.get(taskId), caller);
        if (current.status() != TaskStatus.QUEUED && current.status() != TaskStatus.CANCELLED) {
            String state = current.status() == TaskStatus.RUNNING ? "has already started" : "has already ended (" + current.status().wireName() + ")";
            throw new ApiException(ErrorDetail.of(ErrorCode.CONFLICT, "the task " + state + " and can no longer be cancelled"));
        }
        return publisher.cancel(current, caller.requestId()).thenApply(cancelled -> {
            audit.entry(AuditAction.TASK_CANCELLED).agent(cancelled.agentId()).task(taskId).request(caller.requestId())
                    .outcome("cancelled").details(cancelled.name() == null ? Map.of() : Map.of("task", cancelled.name())).publish();
            return Reply.json(200, cancelled.toBody());
        });
    }
}
