package io.taskgate.schemas.workflows;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * What ingress asks of the coordinator, on {@code workflow-commands}, keyed by run id: start a run
 * (with the run as it begins, every step waiting) or cancel it.
 */
public record RunCommand(Kind kind, String runId, WorkflowRun run, String agentId, String requestId, Instant at) {
    public static final String TYPE = "workflow_command";
    public static final int VERSION = 1;

    public enum Kind {
        START, CANCEL;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public RunCommand {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(at, "at");
    }

    public static RunCommand start(WorkflowRun run, String requestId, Instant at) {
        return new RunCommand(Kind.START, run.runId(), run, run.agentId(), requestId, at);
    }

    public static RunCommand cancel(String runId, String agentId, String requestId, Instant at) {
        return new RunCommand(Kind.CANCEL, runId, null, agentId, requestId, at);
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
