package io.taskgate.audit.chain;

import java.util.Objects;

/**
 * One stored audit record as read back from the database: every column, so that the verifier
 * can check all of them. {@code version} says which {@link ChainHash} formula its hash follows.
 */
public record ChainLink(
        long seq,
        int partition,
        long offset,
        RecordColumns columns,
        String recordJson,
        int version,
        String prevHash,
        String hash) {

    public ChainLink {
        Objects.requireNonNull(columns, "columns");
        Objects.requireNonNull(recordJson, "recordJson");
        Objects.requireNonNull(prevHash, "prevHash");
        Objects.requireNonNull(hash, "hash");
    }
}
