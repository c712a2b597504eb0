package io.taskgate.ingress.tasks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskgate.ingress.auth.Right;
import io.taskgate.ingress.http.ApiException;
import io.taskgate.ingress.http.IngressMeters.Reason;
import io.taskgate.ingress.http.IngressMeters;
import io.taskgate.ingress.status.TaskView;
import io.taskgate.schemas.errors.ErrorCode;
import java.util.Optional;

/**
 * Who may see or cancel a task: its owner agent; an admin or operator API key; anyone for a task
 * posted anonymously (its unguessable id is the capability). Another agent's task answers exactly
 * as an unknown id, so ids cannot be probed.
 */
final class TaskAccess {
    private final Counter unauthorized;

    TaskAccess(MeterRegistry metrics) {
        this.unauthorized = IngressMeters.refused(metrics, Reason.UNAUTHORIZED);
    }

    TaskView check(Optional<TaskView> view, Caller caller) {
        if (view.isPresent() && Caller.ANONYMOUS.equals(view.get().agentId())) {
            return view.get();
        }
        if (caller.principal().isEmpty()) {
            unauthorized.increment();
            throw new ApiException(ErrorCode.UNAUTHORIZED, "send the owner's access token: Authorization: Bearer <token>");
        }
        boolean anyTask = caller.principal().get().has(Right.CANCEL_ANY_TASK);
        if (view.isEmpty() || !anyTask && !caller.agentId().equals(view.get().agentId())) {
            throw notFound();
        }
        return view.get();
    }

    static ApiException notFound() {
        return new ApiException(ErrorCode.NOT_FOUND, "no such task");
    }
}
