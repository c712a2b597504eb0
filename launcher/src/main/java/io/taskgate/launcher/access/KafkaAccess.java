package io.taskgate.launcher.access;

import io.taskgate.schemas.topics.Topics;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.acl.AclOperation;

/**
 * The rights one service's Kafka user must hold on the topics and consumer group it uses, as the
 * README's ACL table lists them (rights on Streams' internal topics and transactional ids, whose
 * names Streams makes up, are left to Streams' own errors).
 */
public record KafkaAccess(Map<String, Set<AclOperation>> topics, Map<String, Set<AclOperation>> groups) {
    private static final Set<AclOperation> READ = Set.of(AclOperation.READ);
    private static final Set<AclOperation> WRITE = Set.of(AclOperation.WRITE);
    private static final Set<AclOperation> READ_WRITE = Set.of(AclOperation.READ, AclOperation.WRITE);

    public KafkaAccess {
        topics = Map.copyOf(topics);
        groups = Map.copyOf(groups);
    }

    public static KafkaAccess ingress(Topics topics) {
        Map<String, Set<AclOperation>> needed = new LinkedHashMap<>();
        needed.put(topics.requested().name(), WRITE);
        needed.put(topics.cancellations().name(), WRITE);
        needed.put(topics.webhooks().name(), WRITE);
        needed.put(topics.audit().name(), WRITE);
        needed.put(topics.agents().name(), READ_WRITE);
        needed.put(topics.policies().name(), READ_WRITE);
        needed.put(topics.taskEvents().name(), READ_WRITE);
        needed.put(topics.workflows().name(), READ_WRITE);
        needed.put(topics.workflowCommands().name(), WRITE);
        needed.put(topics.workflowRuns().name(), READ);
        needed.put(topics.tools().name(), READ);
        stateClient(topics, needed);
        return new KafkaAccess(needed, Map.of(topics.prefix() + "-ingress-status", READ));
    }

    /** The policy stream and, in the same service, the workflow coordinator (group {@code <prefix>-workflows}). */
    public static KafkaAccess policyStream(Topics topics, String applicationId) {
        Map<String, Set<AclOperation>> needed = new LinkedHashMap<>();
        needed.put(topics.requested().name(), READ_WRITE);
        needed.put(topics.policies().name(), READ_WRITE);
        needed.put(topics.taskEvents().name(), READ_WRITE);
        needed.put(topics.audit().name(), WRITE);
        needed.put(topics.workflowCommands().name(), READ);
        needed.put(topics.workflowRuns().name(), WRITE);
        needed.put(topics.stateCommands().name(), READ);
        needed.put(topics.state().name(), WRITE);
        needed.put(topics.stateOutcomes().name(), WRITE);
        return new KafkaAccess(needed, Map.of(applicationId, READ, topics.prefix() + "-workflows", READ));
    }

    public static KafkaAccess worker(Topics topics, String pool, String consumerGroup) {
        Map<String, Set<AclOperation>> needed = new LinkedHashMap<>();
        needed.put(topics.ready(pool).name(), READ);
        needed.put(topics.cancellations().name(), READ);
        needed.put(topics.taskEvents().name(), WRITE);
        needed.put(topics.deadLetters().name(), WRITE);
        needed.put(topics.audit().name(), WRITE);
        needed.put(topics.tools().name(), WRITE);
        stateClient(topics, needed);
        return new KafkaAccess(needed, Map.of(consumerGroup, READ));
    }

    /** A writer of agents' state (ingress' state API, the workers' state tool): it sends commands and reads the results. */
    private static void stateClient(Topics topics, Map<String, Set<AclOperation>> needed) {
        needed.put(topics.stateCommands().name(), WRITE);
        needed.put(topics.state().name(), READ);
        needed.put(topics.stateOutcomes().name(), READ);
    }

    public static KafkaAccess webhooks(Topics topics, String applicationId, String deliveryGroup) {
        Map<String, Set<AclOperation>> needed = new LinkedHashMap<>();
        needed.put(topics.taskEvents().name(), READ_WRITE);
        needed.put(topics.webhooks().name(), READ_WRITE);
        needed.put(topics.agents().name(), READ);
        needed.put(topics.audit().name(), WRITE);
        return new KafkaAccess(needed, Map.of(applicationId, READ, deliveryGroup, READ));
    }

    public static KafkaAccess auditSink(Topics topics, String consumerGroup) {
        return new KafkaAccess(Map.of(topics.audit().name(), READ), Map.of(consumerGroup, READ));
    }
}
