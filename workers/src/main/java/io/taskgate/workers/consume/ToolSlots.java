package io.taskgate.workers.consume;

import io.taskgate.schemas.tasks.TaskName;
import java.util.HashMap;
import java.util.Map;

/**
 * How many tasks of each tool one worker runs at once (a bulkhead per tool), so a slow tool such
 * as an LLM never takes every slot of the worker. Tools without a limit share the worker's own.
 * Used by the poll thread only, so it needs no locking.
 */
public final class ToolSlots {
    private final Map<String, Integer> limits;
    private final Map<String, Integer> inUse = new HashMap<>();

    /** @param limits the most tasks of a tool, by tool name ({@code openai}) */
    public ToolSlots(Map<String, Integer> limits) {
        limits.forEach((tool, limit) -> {
            if (limit < 1) {
                throw new IllegalArgumentException(tool + ": a concurrency limit must be at least 1");
            }
        });
        this.limits = Map.copyOf(limits);
    }

    public static ToolSlots unlimited() {
        return new ToolSlots(Map.of());
    }

    /** The tool a task name names, {@code openai} for {@code openai.chat}; the name itself when malformed. */
    static String toolOf(String taskName) {
        return taskName != null && TaskName.isValid(taskName) ? TaskName.parse(taskName).tool() : String.valueOf(taskName);
    }

    /** Takes a slot of the tool if one is free. */
    boolean tryAcquire(String tool) {
        Integer limit = limits.get(tool);
        int used = inUse.getOrDefault(tool, 0);
        if (limit != null && used >= limit) {
            return false;
        }
        inUse.put(tool, used + 1);
        return true;
    }

    void release(String tool) {
        inUse.computeIfPresent(tool, (name, used) -> used <= 1 ? null : used - 1);
    }

    int inUse(String tool) {
        return inUse.getOrDefault(tool, 0);
    }
}
