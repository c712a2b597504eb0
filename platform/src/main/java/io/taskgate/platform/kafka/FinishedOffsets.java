package io.taskgate.platform.kafka;

import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The offsets of tasks finished beyond a partition's committed offset, written as the commit's
 * metadata so that the partition's next owner skips them instead of running them again. Offsets
 * are stored relative to the committed offset, runs of consecutive ones as ranges:
 * {@code done:v1:1-4,7} after offset 100 means 101..104 and 107 are finished.
 *
 * <p>Kafka bounds commit metadata ({@code offset.metadata.max.bytes}, 4096 by default), so the
 * encoding stops before {@link #MAX_CHARS}; the finished offsets left out are the highest ones, and
 * they only run again, which is safe. Metadata not in this form (another tool's, or none) means none are known.
 */
final class FinishedOffsets {
    static final int MAX_CHARS = 3_000;
    /** More finished offsets than any worker holds past a commit: metadata claiming more is not ours. */
    private static final long MAX_DECODED = 1_000_000;
    private static final String PREFIX = "done:v1:";

    private FinishedOffsets() {
    }

    /** The metadata for offsets finished past {@code committed} (each above it); empty when there are none. */
    static String encode(long committed, NavigableSet<Long> finished) {
        StringBuilder out = new StringBuilder(PREFIX);
        long start = -1;
        long end = -1;
        for (long offset : finished.tailSet(committed, false)) {
            if (start >= 0 && offset == end + 1) {
                end = offset;
                continue;
            }
            if (start >= 0 && !append(out, start - committed, end - committed)) {
                return result(out);
            }
            start = offset;
            end = offset;
        }
        if (start >= 0) {
            append(out, start - committed, end - committed);
        }
        return result(out);
    }

    /** The finished offsets a commit of {@code committed} with this metadata records. */
    static NavigableSet<Long> decode(long committed, String metadata) {
        NavigableSet<Long> finished = new TreeSet<>();
        if (metadata == null || !metadata.startsWith(PREFIX) || metadata.length() == PREFIX.length()) {
            return finished;
        }
        try {
            for (String run : metadata.substring(PREFIX.length()).split(",")) {
                int dash = run.indexOf('-');
                long from = Long.parseLong(dash < 0 ? run : run.substring(0, dash));
                long to = dash < 0 ? from : Long.parseLong(run.substring(dash + 1));
                if (from < 1 || to < from || finished.size() + (to - from) >= MAX_DECODED) {
                    return new TreeSet<>();
                }
                for (long delta = from; delta <= to; delta++) {
                    finished.add(committed + delta);
                }
            }
        } catch (NumberFormatException e) {
            // Metadata that does not parse proves nothing finished: every task past the commit runs.
            return new TreeSet<>();
        }
        return finished;
    }

    private static boolean append(StringBuilder out, long from, long to) {
        String run = from == to ? Long.toString(from) : from + "-" + to;
        boolean first = out.length() == PREFIX.length();
        if (out.length() + run.length() + (first ? 0 : 1) > MAX_CHARS) {
            return false;
        }
        if (!first) {
            out.append(',');
        }
        out.append(run);
        return true;
    }

    private static String result(StringBuilder out) {
        return out.length() == PREFIX.length() ? "" : out.toString();
    }
}
