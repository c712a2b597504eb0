package io.taskgate.schemas.tools;

import io.taskgate.schemas.tasks.TaskName;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The task names of the tools that ship with Taskgate, defined once: every worker runs all of
 * them (it refuses to start otherwise), so ingress accepts them before any worker said so. A
 * plug-in tool is not listed here: workers announce it ({@link ToolAnnouncement}) and ingress
 * accepts it once announced. Ingress answers 404 to any name in neither rather than accept a task
 * no worker could take. A new built-in tool is added here and in the worker, nowhere else.
 */
public record ToolCatalog(Set<String> taskNames) implements KnownTasks {
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

    @Override
    public boolean contains(String taskName) {
        return taskName != null && taskNames.contains(taskName);
    }

    /**
     * Checks that the built-in tools implement every name of the catalog and no other: a name
     * they lack would strand tasks ingress accepted, one the catalog lacks is a tool added
     * without listing it.
     *
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
