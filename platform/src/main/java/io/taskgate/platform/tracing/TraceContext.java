package io.taskgate.platform.tracing;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A W3C Trace Context {@code traceparent}: {@code 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>}.
 * Ingress keeps a caller's valid one (as the parent of its own span) or starts a trace; the value
 * then travels in the {@link #HEADER} Kafka header and in the task, so policy-stream, workers, the
 * calls tools make and every audit record ({@code trace_id}) belong to the same trace. Invalid
 * values (another version's layout, upper case, all-zero ids) are not kept, as the spec requires.
 */
public record TraceContext(String traceId, String parentId, String flags) {
    public static final String HEADER = "traceparent";
    public static final String STATE_HEADER = "tracestate";
    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
    private static final String ZERO_TRACE = "0".repeat(32);
    private static final String ZERO_PARENT = "0".repeat(16);
    private static final String SAMPLED = "01";

    /** The context a {@code traceparent} value names; empty when it is absent or not valid. */
    public static Optional<TraceContext> parse(String traceparent) {
        if (traceparent == null) {
            return Optional.empty();
        }
        var matcher = TRACEPARENT.matcher(traceparent.trim());
        if (!matcher.matches() || matcher.group(1).equals(ZERO_TRACE) || matcher.group(2).equals(ZERO_PARENT)) {
            return Optional.empty();
        }
        return Optional.of(new TraceContext(matcher.group(1), matcher.group(2), matcher.group(3)));
    }

    /** A new trace, sampled, with its first span. */
    public static TraceContext start(SecureRandom random) {
        return new TraceContext(hex(random, 16), hex(random, 8), SAMPLED);
    }

    /** A span of this trace whose parent is the current one: what a service sends on. */
    public TraceContext child(SecureRandom random) {
        return new TraceContext(traceId, hex(random, 8), flags);
    }

    /** The trace id of a {@code traceparent} value, or null when it is not valid. */
    public static String traceIdOf(String traceparent) {
        return parse(traceparent).map(TraceContext::traceId).orElse(null);
    }

    public String header() {
        return "00-" + traceId + "-" + parentId + "-" + flags;
    }

    private static String hex(SecureRandom random, int bytes) {
        byte[] id = new byte[bytes];
        do {
            random.nextBytes(id);
        } while (isZero(id));
        return HexFormat.of().formatHex(id);
    }

    private static boolean isZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
