package io.taskgate.audit.chain;

import io.taskgate.schemas.crypto.Sha256;
import java.nio.charset.StandardCharsets;

/**
 * The one definition of the audit chain's hash; the sink computes it on write and the verifier
 * recomputes it, both through this class. Each record stores the version of the formula its hash
 * follows, so records written before a change still verify.
 *
 * <p><b>Version 2</b> (every record written now) covers every stored column. {@code hash(n)} is
 * the lower-case hex SHA-256 of the UTF-8 bytes of
 * <pre>
 * "taskgate-audit-chain-v2\n" + f(seq) + f(partition) + f(offset) + f(event_id) + f(at_us) + f(service)
 *     + f(action) + f(outcome) + f(agent_id) + f(task_id) + f(request_id) + f(prev_hash) + f(record_json)
 * </pre>
 * where {@code f(null)} is {@code "-\n"} and {@code f(v)} is the length of {@code v} in UTF-8
 * bytes, {@code ":"}, {@code v} and {@code "\n"}; numbers are decimal. The length prefix makes the
 * encoding unambiguous whatever a field holds, and tells a missing field from an empty one.
 * {@code prev_hash} is {@code hash(n-1)}, {@link #GENESIS} for seq 1. Editing any column, the
 * ones {@code /api/audit} filters on included, changes the hash.
 *
 * <p><b>Version 1</b> (the first release) covered only the position and the JSON:
 * {@code "taskgate-audit-chain-v1\n" + seq + "\n" + partition + "\n" + offset + "\n" + prev_hash + "\n" + record_json}.
 * The verifier checks the other columns of such a record against its JSON instead.
 */
public final class ChainHash {
    /** The {@code prev_hash} of the first record. */
    public static final String GENESIS = "0".repeat(64);
    public static final int V1 = 1;
    public static final int V2 = 2;
    /** The version the sink writes. */
    public static final int CURRENT = V2;

    private ChainHash() {
    }

    /** The hash of a version 2 record. */
    public static String of(long seq, int partition, long offset, RecordColumns columns, String prevHash, String recordJson) {
        StringBuilder input = new StringBuilder("taskgate-audit-chain-v2\n");
        field(input, Long.toString(seq));
        field(input, Integer.toString(partition));
        field(input, Long.toString(offset));
        field(input, columns.eventId());
        field(input, Long.toString(columns.atMicros()));
        field(input, columns.service());
        field(input, columns.action());
        field(input, columns.outcome());
        field(input, columns.agentId());
        field(input, columns.taskId());
        field(input, columns.requestId());
        field(input, prevHash);
        field(input, recordJson);
        return Sha256.hex(input.toString());
    }

    /** The hash of a version 1 record, as the first release wrote it. */
    public static String v1(long seq, int partition, long offset, String prevHash, String recordJson) {
        return Sha256.hex("taskgate-audit-chain-v1\n" + seq + '\n' + partition + '\n' + offset + '\n' + prevHash + '\n' + recordJson);
    }

    /**
     * What the hash of this link should be, given its own fields, the prev_hash it stores and its
     * version.
     *
     * @throws IllegalArgumentException for a version this release does not know
     */
    public static String expected(ChainLink link) {
        return switch (link.version()) {
            case V1 -> v1(link.seq(), link.partition(), link.offset(), link.prevHash(), link.recordJson());
            case V2 -> of(link.seq(), link.partition(), link.offset(), link.columns(), link.prevHash(), link.recordJson());
            default -> throw new IllegalArgumentException("unknown chain version " + link.version());
        };
    }

    private static void field(StringBuilder input, String value) {
        if (value == null) {
            input.append("-\n");
        } else {
            input.append(value.getBytes(StandardCharsets.UTF_8).length).append(':').append(value).append('\n');
        }
    }
}
