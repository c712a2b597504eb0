package io.taskgate.schemas.workflows;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/**
 * A workflow as stored on the compacted {@code workflows} topic, keyed by name: its latest version,
 * the document as it was sent (for {@code GET}) and the definition parsed from it. A run copies the
 * definition when it starts, so a later version never changes a run in flight.
 */
public record WorkflowRecord(String name, int version, String source, WorkflowDefinition definition, Instant updatedAt) {
    public static final String TYPE = "workflow";
    public static final int VERSION = 1;

    public WorkflowRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(updatedAt, "updatedAt");
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
