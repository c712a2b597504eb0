package io.taskgate.audit.store;

import java.util.List;

/**
 * What one {@link AuditWriter#append} did: records chained (invalid ones included), records skipped
 * because their partition and offset, or their event id, were already stored, and secret-named fields dropped.
 */
public record AppendResult(int stored, int duplicates, int invalid, List<String> droppedKeys, long headSeq) {

    public AppendResult {
        droppedKeys = List.copyOf(droppedKeys);
    }
}
