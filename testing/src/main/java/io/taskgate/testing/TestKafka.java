package io.taskgate.testing;

import io.taskgate.platform.config.KafkaSettings;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.kafka.TopicProvisioner;
import io.taskgate.schemas.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;

/**
 * A broker and a topic prefix of a test's own, every topic provisioned: what an integration test
 * needs to talk to Kafka. From {@link WithKafka} for the shared broker, or {@link PrivateKafka}
 * for a broker the test stops and restarts.
 */
public final class TestKafka {
    private static final Duration PROVISIONING = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final List<String> pools;
    private final Topics topics;
    private final KafkaClients clients;

    private TestKafka(String bootstrapServers, List<String> pools, Topics topics) {
        this.bootstrapServers = bootstrapServers;
        this.pools = List.copyOf(pools);
        this.topics = topics;
        this.clients = new KafkaClients(new KafkaSettings(bootstrapServers, topics));
    }

    /** Fresh topics for {@code pools} on the broker at {@code bootstrapServers}, provisioned. */
    static TestKafka provisionedOn(String bootstrapServers, List<String> pools) {
        TestKafka kafka = new TestKafka(bootstrapServers, pools, randomTopics());
        kafka.provision();
        return kafka;
    }

    /** A prefix no test has used; nothing is created for it. */
    public static Topics randomTopics() {
        return new Topics("t" + UUID.randomUUID().toString().replace("-", "").substring(0, 16));
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** This class's topics. */
    public Topics topics() {
        return topics;
    }

    /** Clients for this class's topics. */
    public KafkaClients clients() {
        return clients;
    }

    /** Another set of topics on the same broker, provisioned, for a test that must start from empty topics. */
    public TestKafka fresh() {
        return provisionedOn(bootstrapServers, pools);
    }

    private void provision() {
        try (Admin admin = clients.newAdmin("test-kit-provisioner")) {
            new TopicProvisioner(admin, TopicProvisioner.BROKER_DEFAULT_REPLICATION).ensure(topics.all(pools), PROVISIONING);
        }
    }
}
