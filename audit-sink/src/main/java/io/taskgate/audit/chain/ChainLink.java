package io.taskgate.audit.chain;

import java.util.Objects;

/** The fields of one stored audit record that the chain covers, as read back from the database. */
public record ChainLink(long seq, int partition, long offset, String recordJson, String prevHash, String hash) {

    public ChainLink {
        Objects.requireNonNull(recordJson, "recordJson");
        Objects.requireNonNull(prevHash, "prevHash");
        Objects.requireNonNull(hash, "hash");
    }
}
