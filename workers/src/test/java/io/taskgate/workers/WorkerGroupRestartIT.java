package io.taskgate.workers;

import io.taskgate.platform.kafka.GroupInstances;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.schemas.topics.TopicSpec;
import io.taskgate.testing.Await;
import io.taskgate.testing.TestKafka;
import io.taskgate.testing.WithKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker's consumer group membership across a crash and a clean stop, over the real broker. The
 * session timeout is set to a minute, well beyond the waits below: a consumer that got its
 * partitions only once the dead member's session ran out would fail these tests.
 */
@WithKafka
class WorkerGroupRestartIT {
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration WELL_WITHIN_THE_SESSION = Duration.ofSeconds(20);
    private static final CloseOptions LIKE_A_CRASH =
            CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP);

    @TempDir
    Path dataDir;

    @Test
    void shouldGiveAWorkerRestartedAfterACrashItsPartitionsBackWithoutWaitingOutItsOldSession(TestKafka kafka) {
        String group = kafka.topics().prefix() + "-restart";
        TopicSpec<?, ?> topic = kafka.topics().ready("default");
        try (GroupInstances beforeCrash = GroupInstances.in(dataDir)) {
            Consumer<byte[], byte[]> crashing = subscribed(kafka, beforeCrash, group, topic);
            Await.until("the first consumer owns every partition", () -> owns(crashing, topic), WELL_WITHIN_THE_SESSION);
            // What SIGKILL leaves behind: no LeaveGroup, a member the broker still counts on.
            crashing.close(LIKE_A_CRASH);
        }
        try (GroupInstances afterRestart = GroupInstances.in(dataDir);
             Consumer<byte[], byte[]> restarted = subscribed(kafka, afterRestart, group, topic)) {
            Await.until("the restarted consumer owns every partition again", () -> owns(restarted, topic), WELL_WITHIN_THE_SESSION);
        }
    }

    @Test
    void shouldHandAStoppedWorkersPartitionsToTheOthersAtOnce(TestKafka kafka) {
        String group = kafka.topics().prefix() + "-stop";
        TopicSpec<?, ?> topic = kafka.topics().ready("default");
        try (GroupInstances instances = GroupInstances.in(dataDir);
             Consumer<byte[], byte[]> staying = subscribed(kafka, instances, group, topic)) {
            Consumer<byte[], byte[]> stopping = subscribed(kafka, instances, group, topic);
            Await.until("both consumers own partitions", () -> {
                boolean stayingOwns = polled(staying) > 0;
                return polled(stopping) > 0 && stayingOwns;
            }, WELL_WITHIN_THE_SESSION);

            stopping.close(KafkaClients.leavingGroup(Duration.ofSeconds(10)));

            Await.until("the remaining consumer owns every partition", () -> owns(staying, topic), WELL_WITHIN_THE_SESSION);
        }
    }

    private static Consumer<byte[], byte[]> subscribed(TestKafka kafka, GroupInstances instances, String group, TopicSpec<?, ?> topic) {
        Map<String, Object> config = new KafkaClients(kafka.clients().settings(), instances).consumerConfig("restart-it", group);
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) SESSION_TIMEOUT.toMillis());
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config);
        consumer.subscribe(List.of(topic.name()));
        return consumer;
    }

    private static boolean owns(Consumer<byte[], byte[]> consumer, TopicSpec<?, ?> topic) {
        return polled(consumer) == topic.partitions();
    }

    private static int polled(Consumer<byte[], byte[]> consumer) {
        consumer.poll(Duration.ofMillis(100));
        return consumer.assignment().size();
    }
}
