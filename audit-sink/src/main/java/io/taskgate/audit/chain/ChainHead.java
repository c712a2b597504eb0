package io.taskgate.audit.chain;

import java.util.Objects;

/**
 * Seq and hash of the newest record, as the sink wrote them into a row of their own
 * ({@code audit_head}) in the same transaction as the record. Records cut off the end of the
 * chain leave this row pointing past the end.
 */
public record ChainHead(long seq, String hash) {

    public ChainHead {
        Objects.requireNonNull(hash, "hash");
    }
}
