package io.taskgate.schemas.workflows;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.schemas.errors.ErrorDetail;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One run of a workflow, as the coordinator keeps it (its store) and publishes it (the compacted
 * {@code workflow-runs} topic every ingress instance reads), keyed by run id. It carries the
 * definition it started with, so a newer version of the workflow does not change it.
 */
public record WorkflowRun(
        String runId,
        String workflow,
        int version,
        Status status,
        String agentId,
        String agentName,
        List<String> stateNamespaces,
        JsonNode input,
        String callbackUrl,
        WorkflowDefinition definition,
        Map<String, StepRun> steps,
        ErrorDetail error,
        Instant createdAt,
        Instant endedAt) {
    public static final String TYPE = "workflow_run";
    public static final int VERSION = 1;

    public enum Status {
        RUNNING, SUCCEEDED, FAILED, CANCELLED;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public WorkflowRun {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(definition, "definition");
        stateNamespaces = stateNamespaces == null ? List.of() : List.copyOf(stateNamespaces);
        steps = Collections.unmodifiableMap(new LinkedHashMap<>(steps));
    }

    @JsonProperty("type")
    public String type() {
        return TYPE;
    }

    @JsonProperty("v")
    public int v() {
        return VERSION;
    }

    public boolean isEnded() {
        return status != Status.RUNNING;
    }

    public WorkflowRun withSteps(Map<String, StepRun> newSteps) {
        return new WorkflowRun(runId, workflow, version, status, agentId, agentName, stateNamespaces, input, callbackUrl,
                definition, newSteps, error, createdAt, endedAt);
    }

    public WorkflowRun ended(Status endStatus, ErrorDetail why, Instant at) {
        return new WorkflowRun(runId, workflow, version, endStatus, agentId, agentName, stateNamespaces, input, callbackUrl,
                definition, steps, why, createdAt, at);
    }
}
