package io.taskgate.schemas.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/**
 * The policy in force, on the compacted {@code policies} topic under the key {@link #KEY}: the
 * document as the admin wrote it (YAML or JSON), so {@code GET /api/policy} returns it verbatim.
 */
public record PolicyRecord(String document, Instant updatedAt, String source) {
    public static final String KEY = "current";
    public static final String TYPE = "policy";
    public static final int VERSION = 1;

    public PolicyRecord {
        Objects.requireNonNull(document, "document");
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
