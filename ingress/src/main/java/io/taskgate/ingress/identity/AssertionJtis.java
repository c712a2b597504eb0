package io.taskgate.ingress.identity;

import io.taskgate.ingress.auth.OneTimeJtis;
import io.taskgate.platform.kafka.SharedState;
import io.taskgate.schemas.identity.JtiClaim;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One-time client-assertion jtis across every ingress instance. To use a jti an instance appends
 * a claim to the assertion-jtis topic, keyed by issuer and jti, and waits until its own view has
 * read that claim back. Every claim of one key is on one partition, so every instance reads them
 * in the same order, and the first claim in the log is the winner everywhere: an instance whose
 * claim is not the first refuses the assertion. There is no window in which two instances both
 * accept one jti; a second presentation costs one Kafka round trip to refuse, or none when this
 * instance has already read the first claim. Claims are dropped from memory once their assertion
 * has expired (it is refused on its {@code exp} from then on) and from Kafka after an hour.
 */
public final class AssertionJtis implements OneTimeJtis, AutoCloseable {
    /** How long after its assertion's expiry a claim is kept: beyond any clock skew the verifier allows. */
    private static final Duration KEEP_AFTER_EXPIRY = Duration.ofMinutes(2);
    private static final Duration EVICT_EVERY = Duration.ofMinutes(1);

    private final SharedState<JtiClaim> state;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, JtiClaim> firstClaims = new ConcurrentHashMap<>();
    private final AtomicReference<Instant> lastEviction;

    public AssertionJtis(SharedState<JtiClaim> state, Clock clock) {
        this.state = state;
        this.clock = clock;
        this.lastEviction = new AtomicReference<>(clock.instant());
        state.onChange(this::record);
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

    /**
     * Claims the jti for this use; false when it was claimed before, on any instance. Blocks for
     * one write to Kafka.
     *
     * @throws io.taskgate.platform.kafka.WriteNotVisibleException when Kafka does not take the claim in time
     */
    @Override
    public boolean claim(String issuer, String jti, Instant expiresAt) {
        String key = issuer + " " + jti;
        if (firstClaims.containsKey(key)) {
            return false;
        }
        JtiClaim mine = new JtiClaim(newClaimId(), expiresAt);
        state.write(key, mine);
        JtiClaim winner = firstClaims.get(key);
        return winner != null && winner.claimId().equals(mine.claimId());
    }

    private void record(String key, JtiClaim claim) {
        if (claim != null) {
            firstClaims.putIfAbsent(key, claim);
        }
        evictExpiredNowAndThen();
    }

    private void evictExpiredNowAndThen() {
        Instant now = clock.instant();
        Instant last = lastEviction.get();
        if (now.isBefore(last.plus(EVICT_EVERY)) || !lastEviction.compareAndSet(last, now)) {
            return;
        }
        Instant cutoff = now.minus(KEEP_AFTER_EXPIRY);
        firstClaims.values().removeIf(claim -> claim.expiresAt().isBefore(cutoff));
        state.evictIf((key, claim) -> claim.expiresAt().isBefore(cutoff));
    }

    private String newClaimId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public void close() {
        state.close();
    }
}
