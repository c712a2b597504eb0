package io.taskgate.ingress.identity;

import io.taskgate.platform.kafka.SharedState;
import io.taskgate.schemas.identity.Revocation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Revoked access tokens by jti, from the revocations topic every instance reads: a token revoked
 * on one instance is refused on another as soon as that instance's view reads the record
 * (milliseconds on a healthy cluster). A revocation is dropped from memory once its token would
 * have expired anyway, and Kafka deletes it after the longest token lifetime.
 */
public final class Revocations implements AutoCloseable {
    private static final Duration EVICT_EVERY = Duration.ofMinutes(1);

    private final SharedState<Revocation> state;
    private final Clock clock;
    private final AtomicReference<Instant> lastEviction;

    public Revocations(SharedState<Revocation> state, Clock clock) {
        this.state = state;
        this.clock = clock;
        this.lastEviction = new AtomicReference<>(clock.instant());
        state.onChange((jti, revocation) -> evictExpiredNowAndThen());
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

    public boolean isRevoked(String jti) {
        return state.get(jti).filter(revocation -> revocation.inForceAt(clock.instant())).isPresent();
    }

    /** Publishes the revocation; returns once this instance refuses the token. Blocks. */
    public void revoke(Revocation revocation) {
        Revocation merged = state.get(revocation.jti())
                .filter(earlier -> earlier.expiresAt().isAfter(revocation.expiresAt()))
                .map(earlier -> new Revocation(revocation.jti(), revocation.agentId(), earlier.expiresAt(), revocation.revokedAt()))
                .orElse(revocation);
        state.write(merged.jti(), merged);
    }

    private void evictExpiredNowAndThen() {
        Instant now = clock.instant();
        Instant last = lastEviction.get();
        if (now.isBefore(last.plus(EVICT_EVERY)) || !lastEviction.compareAndSet(last, now)) {
            return;
        }
        state.evictIf((jti, revocation) -> !revocation.inForceAt(now));
    }

    @Override
    public void close() {
        state.close();
    }
}
