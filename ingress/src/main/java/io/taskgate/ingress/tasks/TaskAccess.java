package io.taskgate.ingress.tasks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskgate.ingress.auth.Right;
import io.taskgate.ingress.http.ApiException;
import io.taskgate.ingress.http.IngressMeters.Reason;
import io.taskgate.ingress.http.IngressMeters;
import io.taskgate.ingress.status.TaskView;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.tasks.TaskIds;
import java.util.Optional;

/**
 * Who may see or cancel a task: its owner agent; an admin or operator API key; anyone holding the
 * id of a task posted anonymously (the unguessable id is the capability). {@link #admit} decides
 * from the id alone, before any store is read or waited on: a caller without a token is refused at
 * once, and an id not issued to the caller answers 404 at once, whether it names another agent's
 * task or none at all, so neither the answer nor its timing tells them apart.
 */
final class TaskAccess {
    private final TaskIds ids;
    private final Counter unauthorized;

    TaskAccess(TaskIds ids, MeterRegistry metrics) {
        this.ids = ids;
        this.unauthorized = IngressMeters.refused(metrics, Reason.UNAUTHORIZED);
    }

    /** Lets the request go on to the task's status, or throws the 401 or 404 it gets instead. */
    void admit(String taskId, Caller caller) {
        if (!TaskIds.looksValid(taskId)) {
            throw notFound();
        }
        if (ids.isFor(taskId, TaskIds.ANONYMOUS)) {
            return;
        }
        if (caller.principal().isEmpty()) {
            throw unauthorized();
        }
        if (!mayReachAnyTask(caller) && !ids.isFor(taskId, caller.agentId())) {
            throw notFound();
        }
    }

    private static boolean mayReachAnyTask(Caller caller) {
        return caller.principal().map(principal -> principal.has(Right.CANCEL_ANY_TASK)).orElse(false);
    }

    /** The view the caller may see; a second line behind {@link #admit}, on the instance owning the status. */
    TaskView check(Optional<TaskView> view, Caller caller) {
        if (view.isEmpty()) {
            throw notFound();
        }
        if (Caller.ANONYMOUS.equals(view.get().agentId())) {
            return view.get();
        }
        if (caller.principal().isEmpty()) {
            throw unauthorized();
        }
        if (!mayReachAnyTask(caller) && !caller.agentId().equals(view.get().agentId())) {
            throw notFound();
        }
        return view.get();
    }

    static ApiException notFound() {
        return new ApiException(ErrorCode.NOT_FOUND, "no such task");
    }

    private ApiException unauthorized() {
        unauthorized.increment();
        return new ApiException(ErrorCode.UNAUTHORIZED, "send the owner's access token: Authorization: Bearer <token>");
    }
}
