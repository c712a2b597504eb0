package io.taskgate.schemas.identity;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/**
 * An API key as every instance knows it, from the compacted {@code api-keys} topic keyed by key
 * id. The key itself was shown once at creation; only its SHA-256 (hex) is kept.
 *
 * @param role {@code admin}, {@code operator}, {@code auditor} or {@code service}
 */
public record ApiKeyRecord(String id, String name, String role, String keyHash, Instant createdAt) {
    public static final String TYPE = "api_key";
    public static final int VERSION = 1;

    public ApiKeyRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(keyHash, "keyHash");
    }

    @JsonProperty("type")
    public String type() {
        return TYPE;
    }

    @JsonProperty("v")
    public int v() {
        return VERSION;
    }

    @Override
    public String toString() {
        return "ApiKeyRecord[id=" + id + ", name=" + name + ", role=" + role + ", keyHash=****, createdAt=" + createdAt + "]";
    }
}
