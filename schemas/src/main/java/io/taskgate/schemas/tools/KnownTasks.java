package io.taskgate.schemas.tools;

import java.util.Set;

/** The task names some worker runs: what ingress accepts and a workflow step may name. */
public interface KnownTasks {

    boolean contains(String taskName);

    /** Every known name, for an error that lists them. */
    Set<String> taskNames();
}
