package io.taskgate.workers.tools;

import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.tasks.TaskName;
import io.taskgate.tool.api.Tool;
import io.taskgate.workers.tools.route.RouteTool;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The tools of one worker, by name. A task runs on the tool its name names, if that tool has the action. */
public final class ToolRegistry {
    private final Map<String, Tool> tools;

    public ToolRegistry(Collection<? extends Tool> tools) {
        Map<String, Tool> byName = new LinkedHashMap<>();
        for (Tool tool : tools) {
            if (byName.putIfAbsent(tool.name(), tool) != null) {
                throw new IllegalArgumentException("two tools are named " + tool.name());
            }
        }
        this.tools = Map.copyOf(byName);
    }

    /** These tools and more: the plug-in tools beside the built-in ones. Two tools of one name are refused. */
    public ToolRegistry with(Collection<? extends Tool> more) {
        List<Tool> all = new ArrayList<>(tools.values());
        all.addAll(more);
        return new ToolRegistry(all);
    }

    /** The names of these tools, such as {@code echo}. */
    public Set<String> toolNames() {
        return tools.keySet();
    }

    /** Every task name these tools run, as {@code tool.action}. */
    public Set<String> taskNames() {
        return tools.values().stream()
                .flatMap(tool -> tool.actions().stream().map(action -> tool.name() + "." + action))
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * The tool that runs a task: the route tool for a task the policy forwards to a backend, else
     * the tool its name names.
     */
    public Optional<Tool> forTask(TaskMessage task) {
        if (task.route() != null) {
            return Optional.ofNullable(tools.get(RouteTool.NAME));
        }
        return find(task.name());
    }

    /** The tool for a task name, or empty when the name is malformed, the tool unknown or the action not offered. */
    public Optional<Tool> find(String taskName) {
        if (!TaskName.isValid(taskName)) {
            return Optional.empty();
        }
        TaskName name = TaskName.parse(taskName);
        return Optional.ofNullable(tools.get(name.tool())).filter(tool -> tool.actions().contains(name.action()));
    }
}
