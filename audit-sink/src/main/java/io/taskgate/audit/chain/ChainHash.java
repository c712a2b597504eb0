package io.taskgate.audit.chain;

import io.taskgate.schemas.crypto.Sha256;

/**
 * The one definition of the audit chain's hash; the sink computes it on write and the verifier
 * recomputes it, both through this class.
 *
 * <p>{@code hash(n)} is the lower-case hex SHA-256 of the UTF-8 bytes of
 * <pre>
 * "taskgate-audit-chain-v1\n" + seq + "\n" + partition + "\n" + offset + "\n" + prev_hash + "\n" + record_json
 * </pre>
 * where {@code seq}, {@code partition} and {@code offset} are decimal, {@code prev_hash} is
 * {@code hash(n-1)} ({@link #GENESIS} for seq 1) and {@code record_json} is the stored canonical
 * JSON text exactly as it is in the database. The fields before the JSON cannot contain a newline,
 * and the JSON comes last, so the encoding is unambiguous. Covering seq, partition and offset
 * means a record cannot be moved in the chain or attributed to another Kafka position without
 * breaking its hash.
 */
public final class ChainHash {
    /** The {@code prev_hash} of the first record. */
    public static final String GENESIS = "0".repeat(64);
    private static final String DOMAIN = "taskgate-audit-chain-v1";

    private ChainHash() {
    }

    public static String of(long seq, int partition, long offset, String prevHash, String recordJson) {
        String input = DOMAIN + '\n' + seq + '\n' + partition + '\n' + offset + '\n' + prevHash + '\n' + recordJson;
        return Sha256.hex(input);
    }

    /** What the hash of this link should be, given its own fields and the prev_hash it stores. */
    public static String expected(ChainLink link) {
        return of(link.seq(), link.partition(), link.offset(), link.prevHash(), link.recordJson());
    }
}
