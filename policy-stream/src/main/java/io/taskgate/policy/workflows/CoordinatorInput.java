package io.taskgate.policy.workflows;

import io.taskgate.schemas.tasks.TaskEvent;
import io.taskgate.schemas.workflows.RunCommand;

/** What the run processor reads, keyed by run id: a command from ingress or an event of a step's task. */
record CoordinatorInput(RunCommand command, TaskEvent event) {

    static CoordinatorInput of(RunCommand command) {
        return new CoordinatorInput(command, null);
    }

    static CoordinatorInput of(TaskEvent event) {
        return new CoordinatorInput(null, event);
    }
}
