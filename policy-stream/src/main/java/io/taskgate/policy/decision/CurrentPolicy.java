package io.taskgate.policy.decision;

import io.taskgate.schemas.policy.Policy;
import io.taskgate.schemas.policy.PolicyException;
import io.taskgate.schemas.policy.PolicyParser;
import io.taskgate.schemas.policy.PolicyRecord;
import java.util.Objects;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy in force: the document under {@link PolicyRecord#KEY} in the global policies store,
 * parsed once per change. Before any policy was published it is {@link Policy#defaults()}. A
 * document that does not parse (ingress and the policy file are validated by the same parser, so
 * only a hand-made record or a newer ingress during an upgrade gets here) is logged and the last
 * good policy this instance applied stays in force; an instance that never saw a good one uses
 * the defaults.
 */
public final class CurrentPolicy {
    public static final String STORE = "policy";
    private static final Logger LOG = LoggerFactory.getLogger(CurrentPolicy.class);

    private final ReadOnlyKeyValueStore<String, ValueAndTimestamp<PolicyRecord>> store;
    private String lastDocument;
    private Policy policy = Policy.defaults();

    public CurrentPolicy(ReadOnlyKeyValueStore<String, ValueAndTimestamp<PolicyRecord>> store) {
        this.store = store;
    }

    public Policy get() {
        PolicyRecord record = ValueAndTimestamp.getValueOrNull(store.get(PolicyRecord.KEY));
        String document = record == null ? null : record.document();
        if (Objects.equals(document, lastDocument)) {
            return policy;
        }
        lastDocument = document;
        if (document == null) {
            policy = Policy.defaults();
            return policy;
        }
        try {
            policy = PolicyParser.parse(document);
            LOG.debug("policy of {} from {} in force", record.updatedAt(), record.source());
        } catch (PolicyException e) {
            LOG.warn("ignoring the policy of {} from {}, the previous one stays in force: {}",
                    record.updatedAt(), record.source(), e.getMessage());
        }
        return policy;
    }
}
