package io.taskgate.tool.api;

import java.util.List;

/**
 * The entry point of a tool plug-in, found with {@link java.util.ServiceLoader}: name the
 * implementing class in {@code META-INF/services/io.taskgate.tool.api.ToolProvider} of the jar
 * and put the jar on the worker's class path or in its plug-in directory
 * ({@code TASKGATE_TOOL_PLUGINS}). The worker calls {@link #tools} once at start and offers every
 * action of every tool returned under {@code tool.action}; ingress learns the names from the
 * worker's announcement. A tool named like a built-in or another plug-in's tool stops the worker.
 *
 * <p>The class needs a public no-argument constructor. Anything a tool must close when the worker
 * stops belongs in {@link #close}.
 */
public interface ToolProvider extends AutoCloseable {

    /**
     * The tools of this plug-in, built with what the worker lends them.
     *
     * @throws RuntimeException to stop the worker, with a message naming what is wrong (a
     *                          missing secret it cannot work without, say)
     */
    List<Tool> tools(ToolContext context);

    /** Releases what {@link #tools} opened; called once when the worker stops. */
    @Override
    default void close() {
    }
}
