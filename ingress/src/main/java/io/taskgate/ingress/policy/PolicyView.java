package io.taskgate.ingress.policy;

import io.taskgate.platform.kafka.SharedState;
import io.taskgate.schemas.policy.Policy;
import io.taskgate.schemas.policy.PolicyException;
import io.taskgate.schemas.policy.PolicyParser;
import io.taskgate.schemas.policy.PolicyRecord;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy in force on this instance, from the compacted policies topic. Each record is parsed
 * once, when it arrives; a record that does not parse (it skipped {@code PUT /api/policy}'s
 * validation) leaves the previous policy in force rather than falling back to the defaults.
 */
public final class PolicyView implements Supplier<Policy>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyView.class);

    private final SharedState<PolicyRecord> state;
    private volatile Applied applied = new Applied(null, Policy.defaults());

    public PolicyView(SharedState<PolicyRecord> state) {
        this.state = state;
        state.onChange(this::apply);
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

    /** The policy in force: the last one published that parsed, or the defaults. */
    public Policy current() {
        return applied.policy();
    }

    @Override
    public Policy get() {
        return current();
    }

    /** The document of the policy in force; empty while the defaults apply. */
    public Optional<PolicyRecord> record() {
        return Optional.ofNullable(applied.record());
    }

    /** Publishes a validated document; returns once this instance applies it. Blocks. */
    public void publish(PolicyRecord record) {
        state.write(PolicyRecord.KEY, record);
    }

    private void apply(String key, PolicyRecord record) {
        if (!PolicyRecord.KEY.equals(key)) {
            return;
        }
        if (record == null) {
            applied = new Applied(null, Policy.defaults());
            return;
        }
        try {
            applied = new Applied(record, PolicyParser.parse(record.document()));
        } catch (PolicyException e) {
            LOG.warn("ignoring policy published at {}: {}", record.updatedAt(), e.getMessage());
        }
    }

    @Override
    public void close() {
        state.close();
    }

    private record Applied(PolicyRecord record, Policy policy) {
    }
}
