package io.taskgate.audit.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One record as read from the audit topic: where it sits, when Kafka stamped it, and its raw value
 * (null for a tombstone). The store decodes and redacts it; nothing upstream has to be trusted.
 */
public record SourceRecord(int partition, long offset, Instant timestamp, byte[] value) {

    public SourceRecord {
        Objects.requireNonNull(timestamp, "timestamp");
        if (partition < 0 || offset < 0) {
            throw new IllegalArgumentException("partition and offset are never negative: " + partition + "/" + offset);
        }
    }
}
