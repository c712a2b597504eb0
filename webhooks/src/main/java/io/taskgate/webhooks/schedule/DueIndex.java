package io.taskgate.webhooks.schedule;

import java.time.Instant;

/**
 * Keys of the index of deliveries by time: the instant in zero-padded epoch milliseconds, then the
 * task id, so the store's byte order is time order and everything due by now is one range scan.
 */
final class DueIndex {
    /** Sorts after the separator, so an upper bound of {@code <millis>}{@value} covers every task of that millisecond. */
    private static final char AFTER_SEPARATOR = '}';
    private static final char SEPARATOR = '|';

    private DueIndex() {
    }

    static String key(Instant at, String taskId) {
        return millis(at) + SEPARATOR + taskId;
    }

    /** The greatest key of anything due at or before {@code now}. */
    static String upTo(Instant now) {
        return millis(now) + AFTER_SEPARATOR;
    }

    static String taskIdOf(String key) {
        return key.substring(key.indexOf(SEPARATOR) + 1);
    }

    private static String millis(Instant at) {
        return String.format("%015d", Math.max(0, at.toEpochMilli()));
    }
}
