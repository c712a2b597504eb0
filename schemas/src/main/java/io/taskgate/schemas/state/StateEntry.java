package io.taskgate.schemas.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One key of an agent's state, on the compacted {@code state} topic keyed by {@code namespace/key}:
 * its value, its version (the ETag), when it expires, and its earlier versions, newest first,
 * at most {@link #MAX_HISTORY}.
 */
public record StateEntry(String namespace, String key, JsonNode value, long version, Instant updatedAt, Instant expiresAt,
                         List<Version> history) {
    public static final String TYPE = "state";
    public static final int VERSION = 1;
    public static final int MAX_HISTORY = 10;

    /** An earlier value of the key. */
    public record Version(long version, JsonNode value, Instant updatedAt) {
    }

    public StateEntry {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(key, "key");
        history = history == null ? List.of() : List.copyOf(history);
    }

    @JsonProperty("type")
    public String type() {
        return TYPE;
    }

    @JsonProperty("v")
    public int v() {
        return VERSION;
    }

    public String etag() {
        return "\"" + version + "\"";
    }

    public boolean isExpired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    public static String topicKey(String namespace, String key) {
        return namespace + "/" + key;
    }
}
