package io.taskgate.ingress.tasks;

import io.taskgate.ingress.auth.Authenticator;
import io.taskgate.ingress.http.PathParams;
import io.taskgate.platform.logging.LogContext;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.time.Duration;

/**
 * {@code GET /__runner/tasks/{id}[?wait=N]}: the task's view, long-polled until terminal when asked.
 * Who may ask is settled first, at once; only the owner's own requests ever wait.
 */
final class TaskStatusHandler implements HttpHandler {
    private final Authenticator authenticator;
    private final TaskAccess access;
    private final TaskReads reads;

    TaskStatusHandler(Authenticator authenticator, TaskAccess access, TaskReads reads) {
        this.authenticator = authenticator;
        this.access = access;
        this.reads = reads;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        String taskId = PathParams.get(exchange, "id");
        LogContext.add(LogContext.TASK_ID, taskId);
        Caller caller = Caller.of(exchange, authenticator);
        access.admit(taskId, caller);
        Duration wait = WaitPreference.fromQuery(exchange.getQueryParameters().get("wait"));
        // The first read touches the local store: off the IO thread.
        Replies.dispatch(exchange, exchange.getConnection().getWorker(), () -> reads.read(taskId, caller, wait));
    }
}
