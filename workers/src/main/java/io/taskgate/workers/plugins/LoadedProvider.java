package io.taskgate.workers.plugins;

import io.taskgate.tool.api.ToolProvider;

/**
 * A plug-in's entry point and where it was found, for the line that names it when it clashes or fails.
 *
 * @param origin the jar or directory in the plug-in directory, or the class path and the provider's class
 */
public record LoadedProvider(ToolProvider provider, String origin) {
}
