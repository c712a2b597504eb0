package io.taskgate.ingress.identity;

import io.taskgate.ingress.auth.ApiKeyLookup;
import io.taskgate.platform.kafka.SharedState;
import io.taskgate.schemas.crypto.Sha256;
import io.taskgate.schemas.identity.ApiKeyRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every API key, as the compacted api-keys topic holds them (hashes only), shared by all ingress
 * instances; a deleted key stops working on an instance as soon as its view reads the tombstone.
 * A presented key is found by its SHA-256: the lookup's timing can only depend on the hash, never
 * on how much of a guessed key was right.
 */
public final class ApiKeyDirectory implements ApiKeyLookup, AutoCloseable {
    private final SharedState<ApiKeyRecord> state;
    private final Map<String, ApiKeyRecord> byHash = new ConcurrentHashMap<>();
    private final Map<String, String> hashById = new ConcurrentHashMap<>();

    public ApiKeyDirectory(SharedState<ApiKeyRecord> state) {
        this.state = state;
        state.onChange(this::index);
    }

    public void start() {
        state.start();
    }

    public boolean awaitCaughtUp(Duration timeout) {
        return state.awaitCaughtUp(timeout);
    }

    public boolean isCaughtUp() {
        return state.isCaughtUp();
    }

    /** The SHA-256 (hex) kept in place of a key. */
    public static String hashOf(String key) {
        return Sha256.hex(key);
    }

    @Override
    public Optional<ApiKeyRecord> authenticate(String presentedKey) {
        String hash = hashOf(presentedKey);
        ApiKeyRecord record = byHash.get(hash);
        if (record == null || !MessageDigest.isEqual(hash.getBytes(StandardCharsets.US_ASCII),
                record.keyHash().getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        return Optional.of(record);
    }

    /** Every live key, oldest first. */
    public List<ApiKeyRecord> all() {
        return state.snapshot().values().stream()
                .sorted(Comparator.comparing(ApiKeyRecord::createdAt, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(ApiKeyRecord::id))
                .toList();
    }

    public Optional<ApiKeyRecord> find(String id) {
        return state.get(id);
    }

    /** Stores a new key; blocks until this instance applied it. */
    public void create(ApiKeyRecord key) {
        state.write(key.id(), key);
    }

    /** Deletes the key (a tombstone); blocks until this instance stopped honouring it. */
    public void delete(String id) {
        state.delete(id);
    }

    private void index(String id, ApiKeyRecord record) {
        String previous = record == null ? hashById.remove(id) : hashById.put(id, record.keyHash());
        if (previous != null) {
            byHash.remove(previous);
        }
        if (record != null) {
            byHash.put(record.keyHash(), record);
        }
    }

    @Override
    public void close() {
        state.close();
    }
}
