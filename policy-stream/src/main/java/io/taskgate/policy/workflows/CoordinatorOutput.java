package io.taskgate.policy.workflows;

import io.taskgate.schemas.audit.AuditEvent;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.workflows.WorkflowRun;

/**
 * One record the run processor emits: a step task to request (keyed by agent), the run as it now
 * stands (keyed by run id; null run is a tombstone for a run past retention), or an audit record.
 */
record CoordinatorOutput(String key, TaskMessage task, WorkflowRun run, AuditEvent audit) {

    static CoordinatorOutput task(TaskMessage task) {
        return new CoordinatorOutput(task.agentId(), task, null, null);
    }

    static CoordinatorOutput run(String runId, WorkflowRun run) {
        return new CoordinatorOutput(runId, null, run, null);
    }

    static CoordinatorOutput audit(AuditEvent audit) {
        return new CoordinatorOutput(audit.agentId() == null ? "-" : audit.agentId(), null, null, audit);
    }

    boolean isTask() {
        return task != null;
    }

    boolean isAudit() {
        return audit != null;
    }

    boolean isRun() {
        return task == null && audit == null;
    }
}
