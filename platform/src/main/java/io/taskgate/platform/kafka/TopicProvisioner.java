package io.taskgate.platform.kafka;

import io.taskgate.schemas.topics.TopicSpec;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the declared topics that do not exist yet, and returns only once every partition of a
 * topic it created answers on its leader. Safe to run from every instance at every start: a topic
 * that already exists is left as it is.
 *
 * <p>Waiting for the leaders is not a nicety. Until the broker has applied a new partition, an
 * idempotent producer with several requests in flight can see its first request refused
 * (NOT_LEADER_OR_FOLLOWER) and a later one appended; every retry of the first then fails with
 * OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery timeout drops the records (KAFKA-15591, fixed
 * only in brokers from 4.5). A partition that answers ListOffsets on its leader is past that window.
 */
public final class TopicProvisioner {
    /**
     * The broker's own {@code default.replication.factor} (KIP-464): 1 on the embedded broker, what
     * the operators chose (typically 3) on a real cluster. Services create topics with it.
     */
    public static final short BROKER_DEFAULT_REPLICATION = -1;
    private static final Duration LEADER_POLL = Duration.ofMillis(50);

    private final Admin admin;
    private final short replicationFactor;

    public TopicProvisioner(Admin admin, short replicationFactor) {
        this.admin = admin;
        this.replicationFactor = replicationFactor;
    }

    public void ensure(Collection<TopicSpec<?, ?>> topics, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<TopicSpec<?, ?>> missing = topics.stream().filter(topic -> !existing.contains(topic.name())).toList();
            if (missing.isEmpty()) {
                return;
            }
            create(missing, deadline);
            awaitLeaders(missing, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create Kafka topics: " + rootMessage(e), e);
        }
    }

    private void create(List<TopicSpec<?, ?>> missing, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<NewTopic> requests = missing.stream()
                .map(topic -> new NewTopic(topic.name(), Optional.of(topic.partitions()), Optional.of(replicationFactor))
                        .configs(topic.configs()))
                .toList();
        for (var result : admin.createTopics(requests).values().values()) {
            try {
                result.get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    private void awaitLeaders(List<TopicSpec<?, ?>> created, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        for (TopicSpec<?, ?> topic : created) {
            for (int partition = 0; partition < topic.partitions(); partition++) {
                partitions.put(new TopicPartition(topic.name(), partition), OffsetSpec.latest());
            }
        }
        while (true) {
            try {
                admin.listOffsets(partitions).all().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || remainingMillis(deadline) <= LEADER_POLL.toMillis()) {
                    throw e;
                }
                Thread.sleep(LEADER_POLL.toMillis());
            }
        }
    }

    private static long remainingMillis(long deadline) throws TimeoutException {
        long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remaining <= 0) {
            throw new TimeoutException("topics not ready in time");
        }
        return remaining;
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
