package io.taskgate.launcher.access;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Asks the cluster, before a service starts, whether its user holds the rights it needs, so a
 * missing ACL stops the start with one line naming it rather than surfacing later as a stream
 * thread's or a consumer's error in the log. The broker answers with the operations the caller is
 * authorized for ({@code includeAuthorizedOperations}); a topic not yet created is left to the
 * topic provisioner.
 */
public final class KafkaAccessCheck {
    private final Admin admin;
    private final String bootstrapServers;
    private final Duration timeout;

    public KafkaAccessCheck(Admin admin, String bootstrapServers, Duration timeout) {
        this.admin = admin;
        this.bootstrapServers = bootstrapServers;
        this.timeout = timeout;
    }

    /** Returns when every right is held; otherwise throws naming the first one missing. */
    public void verify(KafkaAccess needed) {
        Map<String, Set<AclOperation>> topics = new TreeMap<>(needed.topics());
        Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(topics.keySet(),
                new DescribeTopicsOptions().includeAuthorizedOperations(true)).topicNameValues();
        for (Map.Entry<String, Set<AclOperation>> topic : topics.entrySet()) {
            TopicDescription description;
            try {
                description = get(described.get(topic.getKey()));
            } catch (TopicAuthorizationException e) {
                throw new KafkaAccessDenied(AclOperation.DESCRIBE, "topic", topic.getKey());
            } catch (UnknownTopicOrPartitionException e) {
                continue;
            }
            requireAll(description.authorizedOperations(), topic.getValue(), "topic", topic.getKey());
        }
        Map<String, Set<AclOperation>> groups = new TreeMap<>(needed.groups());
        Map<String, KafkaFuture<ConsumerGroupDescription>> groupsDescribed = admin.describeConsumerGroups(groups.keySet(),
                new DescribeConsumerGroupsOptions().includeAuthorizedOperations(true)).describedGroups();
        for (Map.Entry<String, Set<AclOperation>> group : groups.entrySet()) {
            ConsumerGroupDescription description;
            try {
                description = get(groupsDescribed.get(group.getKey()));
            } catch (GroupAuthorizationException e) {
                throw new KafkaAccessDenied(group.getValue().iterator().next(), "group", group.getKey());
            } catch (GroupIdNotFoundException e) {
                continue;
            }
            requireAll(description.authorizedOperations(), group.getValue(), "group", group.getKey());
        }
    }

    /** A TLS failure's message is "SSL handshake failed"; the reason (an untrusted certificate, ...) is its root cause's. */
    private static String withRootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == failure ? failure.getMessage() : failure.getMessage() + " (" + root.getMessage() + ")";
    }

    private IllegalStateException unreachable(Throwable cause) {
        return new IllegalStateException("kafka: no answer from " + bootstrapServers
                + "; is it reachable, and does TASKGATE_KAFKA_SECURITY_PROTOCOL match its listener?", cause);
    }

    private static void requireAll(Set<AclOperation> authorized, Set<AclOperation> needed, String kind, String name) {
        if (authorized == null) {
            return; // a broker that does not report authorized operations; the clients will tell
        }
        for (AclOperation operation : new TreeSet<>(needed)) {
            if (!authorized.contains(operation)) {
                throw new KafkaAccessDenied(operation, kind, name);
            }
        }
    }

    private <T> T get(KafkaFuture<T> future) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AuthenticationException) {
                throw new IllegalStateException("kafka: cannot log in to " + bootstrapServers + ": " + withRootCause(cause), cause);
            }
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw unreachable(cause);
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("kafka: " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking Kafka ACLs", e);
        }
    }
}
