package io.taskgate.schemas.tools;

import io.taskgate.schemas.tasks.TaskName;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The task names the workers run, defined once: ingress answers 404 to any other name rather
 * than accept a task no worker could take, and a worker refuses to start with tools that differ
 * from it. A new tool is added here and in the worker that implements it, nowhere else.
 */
public record ToolCatalog(Set<String> taskNames) {
    private static final ToolCatalog BUILT_IN = new ToolCatalog(Set.of(
            "echo.run", "sleep.run", "http_fetch.get", "http_fetch.post", "serpapi.search", "openai.chat", "email.send",
            "state.get", "state.set", "state.delete"));

    public ToolCatalog {
        for (String name : taskNames) {
            if (!TaskName.isValid(name)) {
                throw new IllegalArgumentException("not a task name: '" + name + "'");
            }
        }
        taskNames = Set.copyOf(taskNames);
    }

    /** The tools that ship with Taskgate. */
    public static ToolCatalog builtIn() {
        return BUILT_IN;
    }

    public boolean contains(String taskName) {
        return taskName != null && taskNames.contains(taskName);
    }

    /**
     * @throws IllegalStateException naming the names one side has and the other lacks
     */
    public void requireImplementedExactlyBy(Set<String> implemented) {
        Set<String> missing = difference(taskNames, implemented);
        Set<String> unlisted = difference(implemented, taskNames);
        if (!missing.isEmpty() || !unlisted.isEmpty()) {
            throw new IllegalStateException("the tools differ from the tool catalog: not implemented " + missing
                    + ", implemented but not in the catalog " + unlisted);
        }
    }

    private static Set<String> difference(Set<String> from, Set<String> remove) {
        return from.stream().filter(name -> !remove.contains(name)).collect(Collectors.toCollection(TreeSet::new));
    }
}
