package io.taskgate.policy.pools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskgate.testing.Await;
import io.taskgate.testing.TestKafka;
import io.taskgate.testing.WithKafka;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/**
 * A pool's ready topic that cannot be created, over the real broker: the pool is reported
 * unavailable with the broker's reason, creation is retried, and once it can succeed it does.
 */
@WithKafka
class ReadyTopicsIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    void shouldReportAPoolUnavailableWhileItsTopicCannotBeCreatedAndRetryUntilItCan(TestKafka kafka) throws Exception {
        String topic = kafka.topics().ready("broken").name();
        // Kafka refuses a topic whose name differs from an existing one only in '.' against '_'.
        String colliding = topic.replace('.', '_');
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        try (Admin admin = kafka.clients().newAdmin("ready-topics-it");
             ReadyTopics readyTopics = new ReadyTopics(kafka.topics(), kafka.clients().newAdmin("ready-topics"), metrics)) {
            admin.createTopics(List.of(new NewTopic(colliding, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);

            Optional<String> broken = readyTopics.unavailable("broken");
            assertTrue(broken.isPresent(), "a pool whose topic could not be created is unavailable");
            assertTrue(broken.get().contains(topic) && broken.get().contains("collides"), broken.get());
            assertEquals(Optional.empty(), readyTopics.unavailable("default"), "other pools are not affected");
            assertEquals(1.0, metrics.get("taskgate_policy_pools_unavailable").gauge().value());

            admin.deleteTopics(List.of(colliding)).all().get(30, TimeUnit.SECONDS);
            Await.until("a retry created the topic", () -> readyTopics.unavailable("broken").isEmpty(), DEADLINE);
            assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic));
            assertEquals(0.0, metrics.get("taskgate_policy_pools_unavailable").gauge().value());
        }
    }
}
