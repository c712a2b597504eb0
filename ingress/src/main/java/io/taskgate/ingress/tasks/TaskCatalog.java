package io.taskgate.ingress.tasks;

import io.taskgate.ingress.http.ApiException;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.policy.Policy;
import io.taskgate.schemas.tasks.TaskName;
import io.taskgate.schemas.tools.KnownTasks;

/**
 * The task names ingress accepts: those the workers run (built in, or announced plug-ins) and any
 * name a policy rule routes to a backend. Anything else is answered 404 before the body is read.
 */
final class TaskCatalog {

    private TaskCatalog() {
    }

    static boolean isKnown(String name, Policy policy, KnownTasks tools) {
        if (!TaskName.isValid(name)) {
            return false;
        }
        return tools.contains(name)
                || policy.tasks().stream().anyMatch(rule -> rule.route() != null && Policy.matches(rule.pattern(), name));
    }

    /** The parsed name of a known task; a 404 in the error shape otherwise. */
    static TaskName resolve(String name, Policy policy, KnownTasks tools) {
        if (!isKnown(name, policy, tools)) {
            throw new ApiException(ErrorCode.NOT_FOUND, TaskName.isValid(name)
                    ? "no task named '" + name + "'"
                    : "a task name is lower-case dotted segments such as 'echo.run'");
        }
        return TaskName.parse(name);
    }
}
