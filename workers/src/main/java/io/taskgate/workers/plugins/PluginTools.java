package io.taskgate.workers.plugins;

import io.taskgate.platform.config.ConfigException;
import io.taskgate.schemas.tasks.TaskName;
import io.taskgate.tool.api.Tool;
import io.taskgate.tool.api.ToolContext;
import io.taskgate.workers.resilience.ToolPolicy;
import io.taskgate.workers.tools.settings.ToolSettingsTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tools the plug-ins offer, checked before the worker takes a task: a tool name must be new
 * (neither built in nor offered by another plug-in) and each of its task names well formed. Two
 * tools of one name would leave which one runs a task to load order, so a clash stops the worker
 * with a line naming both sides.
 */
public final class PluginTools {

    private PluginTools() {
    }

    /**
     * @param builtIn the names of the built-in tools (such as {@code echo}), which no plug-in may take
     * @throws ConfigException naming the clash or the malformed name
     * @throws IllegalStateException when a provider fails to build its tools
     */
    public static List<Tool> create(List<LoadedProvider> providers, ToolContext context, Set<String> builtIn) {
        Map<String, String> offeredBy = new HashMap<>();
        List<Tool> tools = new ArrayList<>();
        for (LoadedProvider loaded : providers) {
            List<Tool> offered;
            try {
                offered = List.copyOf(loaded.provider().tools(context));
            } catch (RuntimeException e) {
                throw new IllegalStateException("tool plug-in " + loaded.origin() + " could not start: " + e.getMessage(), e);
            }
            for (Tool tool : offered) {
                String name = tool.name();
                if (builtIn.contains(name)) {
                    throw new ConfigException("tool plug-in " + loaded.origin() + " offers the tool '" + name
                            + "', which is built in; rename the plug-in's tool");
                }
                String other = offeredBy.putIfAbsent(name, loaded.origin());
                if (other != null) {
                    throw new ConfigException("the tool '" + name + "' is offered by two plug-ins, " + other + " and "
                            + loaded.origin() + "; remove or rename one");
                }
                requireTaskNames(tool, loaded.origin());
                tools.add(tool);
            }
        }
        return tools;
    }

    /** The retry, breaker and timeout policy of each plug-in tool: its {@code tools:} settings over the standard ones. */
    public static List<ToolPolicy> policies(List<Tool> tools, ToolSettingsTable settings) {
        return tools.stream().map(tool -> settings.of(tool.name()).policy(tool.name(), WorkerToolContext.DEFAULT_TIMEOUT)).toList();
    }

    private static void requireTaskNames(Tool tool, String origin) {
        if (tool.actions().isEmpty()) {
            throw new ConfigException("tool plug-in " + origin + ": the tool '" + tool.name() + "' has no actions");
        }
        for (String action : tool.actions()) {
            String taskName = tool.name() + "." + action;
            if (!TaskName.isValid(taskName) || !TaskName.parse(taskName).equals(new TaskName(tool.name(), action))) {
                throw new ConfigException("tool plug-in " + origin + ": '" + taskName + "' is not a task name (an action is"
                        + " one segment of lower-case letters, digits, '_' and '-'; the tool one or more, dotted)");
            }
        }
    }
}
