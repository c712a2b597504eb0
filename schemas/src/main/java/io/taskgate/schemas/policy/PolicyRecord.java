package io.taskgate.schemas.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/**
 * The policy in force, on the compacted {@code policies} topic under the key {@link #KEY}: the
 * document as the admin wrote it (YAML or JSON), so {@code GET /api/policy} returns it verbatim.
 *
 * @param source     who published it: {@code api} or {@code file:<path>}
 * @param fileDigest {@code sha256:<hex>} of the policy file this record was published from or, for
 *                   a record published through the API, of the file the replaced record came from;
 *                   null when no file was ever published. A restart with an unchanged file then
 *                   keeps a policy an admin put since.
 */
public record PolicyRecord(String document, Instant updatedAt, String source, String fileDigest) {
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
