package io.taskgate.audit.chain;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The outcome of verifying the audit chain: either every record checked out, or the first bad
 * one is named with what is wrong with it, as one line a person can act on.
 */
public final class VerifyResult {
    /** The bad seq of a problem that is not about one record, such as an altered head row. */
    static final long NO_RECORD = 0;

    /** What is wrong with the first bad record. */
    public enum Kind {
        /** Its content, a column, its hash or its link to its predecessor is not what was written, or the head row or a consumed offset is. */
        ALTERED,
        /** It is no longer in the database. */
        MISSING
    }

    private final long checked;
    private final long headSeq;
    private final String headHash;
    private final Kind kind;
    private final long badSeq;
    private final String problem;

    private VerifyResult(long checked, long headSeq, String headHash, Kind kind, long badSeq, String problem) {
        this.checked = checked;
        this.headSeq = headSeq;
        this.headHash = headHash;
        this.kind = kind;
        this.badSeq = badSeq;
        this.problem = problem;
    }

    static VerifyResult intact(long checked, long headSeq, String headHash) {
        return new VerifyResult(checked, headSeq, headHash, null, 0, null);
    }

    static VerifyResult broken(long checked, long lastGoodSeq, String lastGoodHash, Kind kind, long badSeq, String problem) {
        return new VerifyResult(checked, lastGoodSeq, lastGoodHash, Objects.requireNonNull(kind), badSeq,
                Objects.requireNonNull(problem));
    }

    public boolean ok() {
        return kind == null;
    }

    /** How many records were found good (all of them when {@link #ok()}). */
    public long checked() {
        return checked;
    }

    /** Seq of the last good record, 0 when there is none. With {@link #headHash()} it is an anchor to keep. */
    public long headSeq() {
        return headSeq;
    }

    /** Hash of the last good record, {@link ChainHash#GENESIS} when there is none. */
    public String headHash() {
        return headHash;
    }

    public Optional<Kind> kind() {
        return Optional.ofNullable(kind);
    }

    /** Seq of the first bad record; empty when intact, or when the problem is not one record's (an altered head row). */
    public OptionalLong badSeq() {
        return ok() || badSeq == NO_RECORD ? OptionalLong.empty() : OptionalLong.of(badSeq);
    }

    /** The first problem as one line, e.g. {@code record 42 was altered (hash mismatch)}. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /** One line for either outcome. */
    @Override
    public String toString() {
        if (ok()) {
            return "audit chain ok: " + checked + " records, head seq " + headSeq + " hash " + headHash;
        }
        return problem + " (" + checked + " records before it are intact)";
    }
}
