package io.taskgate.schemas.tools;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.taskgate.schemas.tasks.TaskName;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What one running worker offers, from the compacted {@code tools} topic keyed by
 * {@link #key(String, String) pool/instance}: its pool and every task name its tools run, built-in
 * and plug-in alike. A worker writes it before it takes tasks, again every so often so the
 * topic's retention never drops it while the worker runs, and a tombstone when it stops cleanly.
 *
 * @param instance     the worker instance, unique per start
 * @param announcedAt  when the worker last wrote it; shows an operator how fresh it is
 */
public record ToolAnnouncement(String pool, String instance, List<String> taskNames, Instant announcedAt) {
    public static final String TYPE = "tools";
    public static final int VERSION = 1;

    public ToolAnnouncement {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(announcedAt, "announcedAt");
        taskNames = taskNames == null ? List.of() : taskNames.stream().sorted().toList();
        for (String name : taskNames) {
            if (!TaskName.isValid(name)) {
                throw new IllegalArgumentException("not a task name: '" + name + "'");
            }
        }
    }

    /**
     * One key per worker instance, not per pool: a worker that stops withdraws only its own
     * announcement, while the others of its pool, which may run other plug-ins, keep theirs.
     */
    public static String key(String pool, String instance) {
        return pool + "/" + instance;
    }

    public String key() {
        return key(pool, instance);
    }

    @JsonProperty("type")
    public String type() {
        return TYPE;
    }

    @JsonProperty("v")
    public int v() {
        return VERSION;
    }
}
