package io.taskgate.audit.chain;

import java.util.Optional;

/**
 * Recomputes the audit chain in seq order and names the first record that was altered or is
 * missing. What it can detect, from the database alone:
 * <ul>
 * <li>a record whose JSON, position (seq, partition, offset), prev_hash or hash was edited — its
 *     hash no longer matches ({@code altered (hash mismatch)});</li>
 * <li>a record replaced by a self-consistent forgery, or a record whose prev_hash and hash were
 *     both rewritten — the next link does not point to it ({@code altered (prev_hash mismatch)});</li>
 * <li>a record deleted from the middle or the start — seq jumps ({@code missing}).</li>
 * </ul>
 * What it cannot detect from the database alone: the newest records cut off (a shortened chain is
 * a valid chain), or the whole chain rewritten from some point on with recomputed hashes. Both are
 * only detectable against a head noted elsewhere: pass it as a {@link ChainAnchor}. Every result
 * reports the head seq and hash so the caller can keep them as the next anchor.
 */
public final class AuditVerifier {
    private final ChainSource source;

    public AuditVerifier(ChainSource source) {
        this.source = source;
    }

    public VerifyResult verify() {
        return walk(Optional.empty());
    }

    /** As {@link #verify()}, and the anchored record must still be there with the anchored hash. */
    public VerifyResult verify(ChainAnchor anchor) {
        return walk(Optional.of(anchor));
    }

    private VerifyResult walk(Optional<ChainAnchor> anchor) {
        Walk walk = new Walk(anchor);
        source.readInOrder(walk::visit);
        return walk.result();
    }

    /** The state of one pass over the chain. */
    private static final class Walk {
        private final Optional<ChainAnchor> anchor;
        private long checked;
        private long lastSeq;
        private String lastHash = ChainHash.GENESIS;
        private VerifyResult failure;

        Walk(Optional<ChainAnchor> anchor) {
            this.anchor = anchor;
        }

        boolean visit(ChainLink link) {
            long expectedSeq = lastSeq + 1;
            if (link.seq() != expectedSeq) {
                String why = lastSeq == 0
                        ? "chain starts at seq " + link.seq()
                        : "seq jumps from " + lastSeq + " to " + link.seq();
                return fail(VerifyResult.Kind.MISSING, expectedSeq, "record " + expectedSeq + " is missing (" + why + ")");
            }
            if (!ChainHash.expected(link).equals(link.hash())) {
                return fail(VerifyResult.Kind.ALTERED, link.seq(), "record " + link.seq() + " was altered (hash mismatch)");
            }
            if (!link.prevHash().equals(lastHash)) {
                String predecessor = lastSeq == 0 ? "the start of the chain" : "record " + lastSeq;
                return fail(VerifyResult.Kind.ALTERED, link.seq(), "record " + link.seq()
                        + " was altered (prev_hash mismatch: it does not chain to " + predecessor + ")");
            }
            if (anchor.isPresent() && anchor.get().seq() == link.seq() && !anchor.get().hash().equals(link.hash())) {
                return fail(VerifyResult.Kind.ALTERED, link.seq(), "record " + link.seq() + " was altered (hash differs from the anchor)");
            }
            checked++;
            lastSeq = link.seq();
            lastHash = link.hash();
            return true;
        }

        private boolean fail(VerifyResult.Kind kind, long seq, String problem) {
            failure = VerifyResult.broken(checked, lastSeq, lastHash, kind, seq, problem);
            return false;
        }

        VerifyResult result() {
            if (failure != null) {
                return failure;
            }
            if (anchor.isPresent() && anchor.get().seq() > lastSeq) {
                long missing = lastSeq + 1;
                return VerifyResult.broken(checked, lastSeq, lastHash, VerifyResult.Kind.MISSING, missing,
                        "record " + missing + " is missing (chain ends at seq " + lastSeq + ", anchor is at seq "
                                + anchor.get().seq() + ")");
            }
            return VerifyResult.intact(checked, lastSeq, lastHash);
        }
    }
}
