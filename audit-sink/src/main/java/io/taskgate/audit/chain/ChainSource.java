package io.taskgate.audit.chain;

import java.util.function.Predicate;

/** Where the verifier reads the chain from: the audit store, or a list in tests. */
@FunctionalInterface
public interface ChainSource {

    /** Hands every stored link to {@code visitor} in ascending seq order, until it returns false. */
    void readInOrder(Predicate<ChainLink> visitor);
}
