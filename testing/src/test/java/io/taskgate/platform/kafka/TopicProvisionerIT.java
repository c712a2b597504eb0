package io.taskgate.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.platform.config.KafkaSettings;
import io.taskgate.schemas.topics.TopicSpec;
import io.taskgate.schemas.topics.Topics;
import io.taskgate.testing.TestKafka;
import io.taskgate.testing.WithKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/**
 * Lives in the test kit's module because the kit depends on platform: platform's own tests cannot
 * depend on the kit without a reactor cycle, and here the provisioner is tested on the kit's broker.
 */
@WithKafka
class TopicProvisionerIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int ROUNDS = 8;
    private static final int RECORDS_PER_PARTITION = 20;

    @Test
    void shouldCreateEveryDeclaredTopicWithItsPartitionsCleanupPolicyAndTheBrokersReplication(TestKafka kafka) throws Exception {
        Topics topics = TestKafka.randomTopics();
        Collection<TopicSpec<?, ?>> declared = topics.all(List.of("default", "gpu"));
        KafkaClients clients = new KafkaClients(new KafkaSettings(kafka.bootstrapServers(), topics));
        try (Admin admin = clients.newAdmin("it-provisioner")) {
            TopicProvisioner provisioner = new TopicProvisioner(admin, TopicProvisioner.BROKER_DEFAULT_REPLICATION);
            provisioner.ensure(declared, TIMEOUT);
            provisioner.ensure(declared, TIMEOUT);

            List<String> names = declared.stream().map(TopicSpec::name).toList();
            Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
            List<ConfigResource> resources = names.stream().map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
            for (TopicSpec<?, ?> topic : declared) {
                assertEquals(topic.partitions(), described.get(topic.name()).partitions().size(), topic.name());
                assertEquals(1, described.get(topic.name()).partitions().get(0).replicas().size(),
                        "the broker's default replication factor, 1 on the embedded broker");
                String cleanup = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()))
                        .get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
                assertEquals(topic.cleanup().kafkaValue(), cleanup, topic.name());
                if (topic.retention() != null) {
                    String retention = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()))
                            .get(TopicConfig.RETENTION_MS_CONFIG).value();
                    assertEquals(Long.toString(topic.retention().toMillis()), retention, topic.name());
                }
            }
        }
    }

    /**
     * Without waiting for the partition leaders, a burst sent right after creation loses records on
     * some runs (KAFKA-15591): requests in flight to a partition the broker has not applied yet are
     * refused and then never accepted again.
     */
    @Test
    void shouldAcceptEveryRecordOfABurstSentTheMomentTopicsAreCreated(TestKafka kafka) throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            Topics topics = TestKafka.randomTopics();
            Collection<TopicSpec<?, ?>> declared = topics.all(List.of("default"));
            KafkaClients clients = new KafkaClients(new KafkaSettings(kafka.bootstrapServers(), topics));
            try (Admin admin = clients.newAdmin("it-burst-admin");
                 Producer<byte[], byte[]> producer = clients.newProducer("it-burst")) {
                new TopicProvisioner(admin, (short) 1).ensure(declared, TIMEOUT);

                List<Future<RecordMetadata>> sends = new ArrayList<>();
                for (int i = 0; i < RECORDS_PER_PARTITION; i++) {
                    for (TopicSpec<?, ?> topic : declared) {
                        for (int partition = 0; partition < topic.partitions(); partition++) {
                            byte[] value = ("r" + i).getBytes(StandardCharsets.UTF_8);
                            sends.add(producer.send(new ProducerRecord<>(topic.name(), partition, value, value)));
                        }
                    }
                }
                int failed = 0;
                for (Future<RecordMetadata> send : sends) {
                    try {
                        send.get(60, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        failed++;
                    }
                }
                assertEquals(0, failed, "records refused in round " + round + " of " + sends.size());
                assertTrue(sends.size() > RECORDS_PER_PARTITION);
            }
        }
    }
}
