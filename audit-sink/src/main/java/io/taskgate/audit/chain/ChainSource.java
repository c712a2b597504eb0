package io.taskgate.audit.chain;

import java.util.function.Predicate;

/** Where the verifier reads the chain from: the audit store. */
public interface ChainSource {

    /**
     * In one consistent snapshot of the database: hands every stored link to {@code visitor} in
     * ascending seq order until it returns false, and returns the head row and consumed offsets of
     * that same snapshot, so that a sink appending meanwhile cannot make them disagree.
     */
    ChainState read(Predicate<ChainLink> visitor);
}
