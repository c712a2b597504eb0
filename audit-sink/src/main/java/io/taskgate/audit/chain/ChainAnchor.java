package io.taskgate.audit.chain;

import java.util.Objects;

/**
 * A chain head noted outside the database (a log line, a ticket, another system): seq and hash of
 * a record that must still be in the chain, unchanged. Only such an anchor can reveal that the
 * newest records were cut off, because a shortened chain is still a valid chain.
 */
public record ChainAnchor(long seq, String hash) {

    public ChainAnchor {
        Objects.requireNonNull(hash, "hash");
        if (seq < 1) {
            throw new IllegalArgumentException("an anchor's seq starts at 1, got " + seq);
        }
    }
}
