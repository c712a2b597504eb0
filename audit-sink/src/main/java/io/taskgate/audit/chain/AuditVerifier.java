package io.taskgate.audit.chain;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Recomputes the audit chain in seq order and names the first thing that was altered or is
 * missing. What it detects from the database alone:
 * <ul>
 * <li>any column of a record edited — content, position, the columns queries filter on, prev_hash
 *     or hash: its hash no longer matches ({@code altered (hash mismatch)}), or for a record of chain
 *     version 1, whose hash covers only its position and JSON, its columns no longer match its JSON;</li>
 * <li>a record replaced by a self-consistent forgery — the next link does not point to it
 *     ({@code altered (prev_hash mismatch)});</li>
 * <li>a record deleted from the start or the middle — seq jumps ({@code missing});</li>
 * <li>records deleted from the end — the head row, written with every record, points past the
 *     end; and when the head row is rewritten too, the offsets the sink consumed (also written
 *     with every record) are ahead of the newest stored record of a partition.</li>
 * </ul>
 * What it cannot detect: someone with write access who rewrites records, head row and consumed
 * offsets all consistently, with recomputed hashes — the hash has no secret. That is only
 * detectable against a head noted outside the database: pass it as a {@link ChainAnchor}. Every
 * result reports the head seq and hash so the caller can keep them as the next anchor.
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
        ChainState state = source.read(walk::visit);
        return walk.result(state);
    }

    /** The state of one pass over the chain. */
    private static final class Walk {
        private final Optional<ChainAnchor> anchor;
        private final Map<Integer, Long> newestOffsets = new HashMap<>();
        private long checked;
        private long lastSeq;
        private int lastVersion = ChainHash.V1;
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
            Optional<String> altered = alteration(link);
            if (altered.isPresent()) {
                return fail(VerifyResult.Kind.ALTERED, link.seq(), "record " + link.seq() + " was altered (" + altered.get() + ")");
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
            lastVersion = link.version();
            newestOffsets.merge(link.partition(), link.offset(), Math::max);
            return true;
        }

        /** What is wrong with the link on its own, if anything. */
        private Optional<String> alteration(ChainLink link) {
            if (link.version() != ChainHash.V1 && link.version() != ChainHash.V2) {
                return Optional.of("unknown chain version " + link.version());
            }
            // The sink never goes back to an older version, and a record set back to version 1
            // would escape the hash of its columns.
            if (link.version() < lastVersion) {
                return Optional.of("chain version " + link.version() + " after version " + lastVersion);
            }
            if (!ChainHash.expected(link).equals(link.hash())) {
                return Optional.of("hash mismatch");
            }
            if (link.version() == ChainHash.V1 && !link.columns().equals(RecordColumns.ofStoredJson(link.recordJson()))) {
                return Optional.of("its columns differ from its JSON");
            }
            return Optional.empty();
        }

        private boolean fail(VerifyResult.Kind kind, long seq, String problem) {
            failure = VerifyResult.broken(checked, lastSeq, lastHash, kind, seq, problem);
            return false;
        }

        VerifyResult result(ChainState state) {
            if (failure != null) {
                return failure;
            }
            if (anchor.isPresent() && anchor.get().seq() > lastSeq) {
                long missing = lastSeq + 1;
                return broken(VerifyResult.Kind.MISSING, missing, "record " + missing + " is missing (chain ends at seq "
                        + lastSeq + ", anchor is at seq " + anchor.get().seq() + ")");
            }
            return headProblem(state.head())
                    .or(() -> offsetProblem(state.consumedOffsets()))
                    .orElseGet(() -> VerifyResult.intact(checked, lastSeq, lastHash));
        }

        private Optional<VerifyResult> headProblem(Optional<ChainHead> stored) {
            if (stored.isEmpty()) {
                return lastSeq == 0 ? Optional.empty() : Optional.of(broken(VerifyResult.Kind.MISSING, VerifyResult.NO_RECORD,
                        "the head record is missing (the chain ends at seq " + lastSeq + "; the sink writes the head with every record)"));
            }
            ChainHead head = stored.get();
            if (head.seq() > lastSeq) {
                long first = lastSeq + 1;
                String which = first == head.seq() ? "record " + first + " is" : "records " + first + " to " + head.seq() + " are";
                return Optional.of(broken(VerifyResult.Kind.MISSING, first, which + " missing from the end (the chain ends at seq "
                        + lastSeq + ", its head record is at seq " + head.seq() + ")"));
            }
            if (head.seq() < lastSeq) {
                return Optional.of(broken(VerifyResult.Kind.ALTERED, VerifyResult.NO_RECORD, "the head record was altered (it is at seq "
                        + head.seq() + ", the chain ends at seq " + lastSeq + ")"));
            }
            if (!Objects.equals(head.hash(), lastHash)) {
                return Optional.of(broken(VerifyResult.Kind.ALTERED, VerifyResult.NO_RECORD,
                        "the head record was altered (its hash differs from that of record " + lastSeq + ")"));
            }
            return Optional.empty();
        }

        /**
         * The sink stores every record it consumes and, in the same transaction, the offset after
         * it: per partition, the consumed offset is always one past the newest stored record.
         */
        private Optional<VerifyResult> offsetProblem(Map<Integer, Long> consumed) {
            TreeSet<Integer> partitions = new TreeSet<>(consumed.keySet());
            partitions.addAll(newestOffsets.keySet());
            for (int partition : partitions) {
                Long next = consumed.get(partition);
                Long newest = newestOffsets.get(partition);
                if (next == null) {
                    return Optional.of(broken(VerifyResult.Kind.ALTERED, VerifyResult.NO_RECORD, "the consumed offset of partition "
                            + partition + " is missing (records up to offset " + newest + " are stored)"));
                }
                if (newest == null || newest + 1 < next) {
                    String stored = newest == null ? "none of its records is stored" : "the newest stored is at offset " + newest;
                    return Optional.of(broken(VerifyResult.Kind.MISSING, lastSeq + 1, "records of partition " + partition
                            + " are missing from the end (the sink consumed it up to offset " + (next - 1) + ", " + stored + ")"));
                }
                if (newest + 1 > next) {
                    return Optional.of(broken(VerifyResult.Kind.ALTERED, VerifyResult.NO_RECORD, "the consumed offset of partition "
                            + partition + " was altered (it is " + next + ", but a record at offset " + newest + " is stored)"));
                }
            }
            return Optional.empty();
        }

        private VerifyResult broken(VerifyResult.Kind kind, long badSeq, String problem) {
            return VerifyResult.broken(checked, lastSeq, lastHash, kind, badSeq, problem);
        }
    }
}
