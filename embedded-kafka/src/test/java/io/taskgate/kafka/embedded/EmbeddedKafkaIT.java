package io.taskgate.kafka.embedded;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class EmbeddedKafkaIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Test
    void transactionalRecordRoundTripsThroughReadCommittedConsumer() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
            createTopic(kafka, "tasks");

            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-tx",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("tasks", "task-1", "aborted"));
                producer.flush();
                producer.abortTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("tasks", "task-1", "committed"));
                producer.commitTransaction();
            }

            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "it-group",
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
                consumer.subscribe(List.of("tasks"));
                ConsumerRecord<String, String> record = pollOne(consumer);
                assertEquals("task-1", record.key());
                assertEquals("committed", record.value());
            }
        }
    }

    @Test
    void restartOnSameDataDirKeepsClusterIdAndTopics(@TempDir Path dataDir) throws Exception {
        String clusterId;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, 0)) {
            createTopic(kafka, "survivor");
            clusterId = clusterId(kafka);
        }

        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, 0)) {
            assertEquals(clusterId, clusterId(kafka));
            try (Admin admin = admin(kafka)) {
                Set<String> topics = admin.listTopics().names().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                assertTrue(topics.contains("survivor"), "topics after restart: " + topics);
            }
        }
    }

    @Test
    void startOnRequestedPortAdvertisesIt(@TempDir Path dataDir) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 0, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, port)) {
            assertEquals("127.0.0.1:" + port, kafka.bootstrapServers());
            assertEquals(dataDir, kafka.dataDir());
        }
    }

    @Test
    void startOnBusyPortFailsWithClearMessage(@TempDir Path dataDir) throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 0, InetAddress.getByName("127.0.0.1"))) {
            IllegalStateException failure = assertThrows(IllegalStateException.class,
                    () -> EmbeddedKafka.start(dataDir, busy.getLocalPort()));
            assertTrue(failure.getMessage().contains("127.0.0.1:" + busy.getLocalPort()), failure.getMessage());
        }
    }

    @Test
    void closeIsIdempotentAndDeletesTemporaryDataDir() {
        EmbeddedKafka kafka = EmbeddedKafka.startTemporary();
        Path dataDir = kafka.dataDir();
        assertTrue(Files.isDirectory(dataDir));

        kafka.close();
        kafka.close();

        assertFalse(Files.exists(dataDir));
    }

    private static void createTopic(EmbeddedKafka kafka, String topic) throws Exception {
        try (Admin admin = admin(kafka)) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private static String clusterId(EmbeddedKafka kafka) throws Exception {
        try (Admin admin = admin(kafka)) {
            return admin.describeCluster().clusterId().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private static Admin admin(EmbeddedKafka kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    private static ConsumerRecord<String, String> pollOne(KafkaConsumer<String, String> consumer) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
            if (!records.isEmpty()) {
                return records.iterator().next();
            }
        }
        return fail("no committed record consumed within " + DEADLINE);
    }
}
