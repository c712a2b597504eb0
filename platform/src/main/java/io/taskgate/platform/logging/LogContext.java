package io.taskgate.platform.logging;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * What a log line says about the work it comes from (service, request, trace, agent, task), kept
 * in SLF4J's MDC while that work runs on this thread. Opened where a request or a task enters a
 * service and closed when the thread leaves it, which puts back what the thread had before, so a
 * pooled thread never carries one task's ids into the next. Only ids go here, never a credential.
 */
public final class LogContext implements AutoCloseable {
    public static final String SERVICE = "service";
    public static final String REQUEST_ID = "request_id";
    public static final String TRACE_ID = "trace_id";
    public static final String AGENT_ID = "agent_id";
    public static final String TASK_ID = "task_id";

    /** W3C Trace Context: version, 32 hex trace id (not all zeros), 16 hex parent id, flags. */
    private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");
    private static final String INVALID_TRACE_ID = "0".repeat(32);

    private final Map<String, String> previous;

    private LogContext(Map<String, String> previous) {
        this.previous = previous;
    }

    /** Starts a context for the work about to run on this thread, over what the thread has. */
    public static LogContext open(String service) {
        return new LogContext(MDC.getCopyOfContextMap()).put(SERVICE, service);
    }

    /** Adds a field; an absent or blank value leaves the field out rather than logging it empty. */
    public LogContext put(String key, String value) {
        if (value != null && !value.isBlank()) {
            MDC.put(key, value);
        }
        return this;
    }

    /**
     * Adds a field to the context open on this thread, whose close removes it. Without an open
     * context (a callback on some pooled thread) it does nothing, so nothing outlives its work.
     */
    public static void add(String key, String value) {
        if (value != null && !value.isBlank() && MDC.get(SERVICE) != null) {
            MDC.put(key, value);
        }
    }

    /** The trace id of a {@code traceparent} header, if it is a valid one. */
    public static Optional<String> traceId(String traceparent) {
        if (traceparent == null) {
            return Optional.empty();
        }
        Matcher matcher = TRACEPARENT.matcher(traceparent.trim());
        if (!matcher.matches() || INVALID_TRACE_ID.equals(matcher.group(1))) {
            return Optional.empty();
        }
        return Optional.of(matcher.group(1));
    }

    @Override
    public void close() {
        if (previous == null) {
            MDC.clear();
        } else {
            MDC.setContextMap(previous);
        }
    }
}
