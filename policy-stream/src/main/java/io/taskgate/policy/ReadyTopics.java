package io.taskgate.policy;

import io.taskgate.platform.kafka.CompactedTopicView;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.kafka.TopicProvisioner;
import io.taskgate.schemas.policy.PolicyException;
import io.taskgate.schemas.policy.PolicyParser;
import io.taskgate.schemas.policy.PolicyRecord;
import io.taskgate.schemas.policy.TaskRule;
import io.taskgate.schemas.topics.TopicSpec;
import io.taskgate.schemas.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the ready topic of every pool a policy routes to, as soon as the policy is published.
 * The stream writes to a pool's topic by name; if the topic did not exist, its producer would
 * block and then fail the stream thread, stopping every decision, not only that pool's.
 */
final class ReadyTopics implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReadyTopics.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Topics topics;
    private final Admin admin;

    private ReadyTopics(Topics topics, Admin admin) {
        this.topics = topics;
        this.admin = admin;
    }

    /** Follows {@code policies}, which the caller starts after this and closes. */
    static ReadyTopics follow(KafkaClients clients, Topics topics, CompactedTopicView<PolicyRecord> policies) {
        ReadyTopics readyTopics = new ReadyTopics(topics, clients.newAdmin("policy-ready-topics"));
        policies.onChange((key, record) -> readyTopics.ensurePoolsOf(record));
        return readyTopics;
    }

    private void ensurePoolsOf(PolicyRecord record) {
        if (record == null) {
            return;
        }
        List<TopicSpec<?, ?>> readyTopics;
        try {
            readyTopics = PolicyParser.parse(record.document()).tasks().stream()
                    .map(TaskRule::pool)
                    .filter(Objects::nonNull)
                    .distinct()
                    .<TopicSpec<?, ?>>map(topics::ready)
                    .toList();
        } catch (PolicyException e) {
            return; // CurrentPolicy reports it; an invalid policy routes nowhere new
        }
        try {
            new TopicProvisioner(admin, TopicProvisioner.BROKER_DEFAULT_REPLICATION).ensure(readyTopics, TIMEOUT);
        } catch (IllegalStateException e) {
            LOG.warn("cannot create the ready topics of the policy's pools: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
