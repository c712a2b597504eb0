package io.taskgate.tool.api;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a worker lends the tools of a plug-in. Retries, the circuit breaker, the timeout of one
 * attempt and the concurrency limit come from {@code tools:} in {@code taskgate.yaml} and are
 * applied by the worker around {@link Tool#run}, exactly as for the built-in tools; a tool needs
 * none of them here. The threads are the worker's: a tool never shuts them down.
 */
public interface ToolContext {

    /** The worker's pool: the tasks this worker takes are those policy sends to it. */
    String pool();

    /**
     * A tool secret ({@code TASKGATE_SECRET_<NAME>} or {@code taskgate secrets set <name>}), such as
     * an API key. Hand it only to the service it is for: never log it or put it in a result.
     *
     * @param name lower-case letters, digits and underscores, such as {@code acme_api_key}
     */
    Optional<String> secret(String name);

    /**
     * How long the worker lets one attempt of this tool run before it fails it as timed out:
     * {@code tools: {<tool>: {timeout_ms: ...}}} or the default for plug-ins. A tool's own client
     * timeouts should not be longer.
     */
    Duration timeout(String tool);

    /** For timers and delays; tasks must not block it. */
    ScheduledExecutorService scheduler();

    /**
     * For calls that block (a synchronous client, a file): bounded, and shared by the blocking
     * work of every plug-in of this worker. {@link Tool#run} itself must never block.
     */
    Executor blocking();

    Clock clock();
}
