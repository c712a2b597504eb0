package io.taskgate.audit.chain;

import java.util.Map;
import java.util.Optional;

/**
 * What the database says about the chain besides its records, read in the same snapshot as them:
 * the head row (absent when none was written) and, per Kafka partition, the next offset the sink
 * will read, which is one past the newest record it stored from that partition.
 */
public record ChainState(Optional<ChainHead> head, Map<Integer, Long> consumedOffsets) {

    public ChainState {
        consumedOffsets = Map.copyOf(consumedOffsets);
    }
}
