package io.taskgate.schemas.workflows;

import io.taskgate.schemas.tasks.TaskIds;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Run ids, and the task ids of their steps. A step's task id is derived from run, step and attempt,
 * so an attempt emitted twice (a replay after a crash) is the same task and policy drops the copy.
 * A step task's request id is its run id: task events carry it back to the coordinator.
 */
public final class RunIds {
    public static final String PREFIX = "run_";

    private final SecureRandom random;

    public RunIds(SecureRandom random) {
        this.random = random;
    }

    public String next() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return PREFIX + HexFormat.of().formatHex(bytes);
    }

    public static boolean looksValid(String id) {
        return id != null && id.length() == PREFIX.length() + 32 && id.startsWith(PREFIX)
                && id.substring(PREFIX.length()).chars().allMatch(c -> Character.digit(c, 16) >= 0 && !Character.isUpperCase(c));
    }

    public static String stepTaskId(String agentId, String runId, String stepId, int attempt) {
        return TaskIds.derived(agentId, runId + "/" + stepId + "/" + attempt);
    }
}
