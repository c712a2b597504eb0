package io.taskgate.policy.workflows;

import io.taskgate.schemas.audit.AuditEvent;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.workflows.WorkflowRun;
import java.util.ArrayList;
import java.util.List;

/** What one input did to a run: the run as it is now, the step tasks to request, and the audit records. */
final class RunChange {
    private WorkflowRun run;
    private final List<TaskMessage> tasks = new ArrayList<>();
    private final List<AuditEvent> audits = new ArrayList<>();

    RunChange(WorkflowRun run) {
        this.run = run;
    }

    WorkflowRun run() {
        return run;
    }

    void run(WorkflowRun changed) {
        this.run = changed;
    }

    List<TaskMessage> tasks() {
        return tasks;
    }

    List<AuditEvent> audits() {
        return audits;
    }
}
