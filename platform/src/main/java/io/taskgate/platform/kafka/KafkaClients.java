package io.taskgate.platform.kafka;

import io.taskgate.platform.config.KafkaSettings;
import io.taskgate.schemas.topics.MessageLimits;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Makes the Kafka clients every service uses, with the settings Taskgate's guarantees rest on:
 * producers are idempotent with {@code acks=all} and give up fast when the cluster is away, so
 * ingress answers 503 instead of hanging; consumers commit by hand and read committed data only.
 * A consumer of a group (a Kafka Streams app too) is a static member under an id from
 * {@link GroupInstances}, when the clients were given some, so a restarted instance gets its
 * partitions back without waiting for its dead self's session to time out.
 */
public final class KafkaClients {
    private final KafkaSettings settings;
    private final GroupInstances instances;

    /** Clients whose consumers join their groups as dynamic members. */
    public KafkaClients(KafkaSettings settings) {
        this(settings, GroupInstances.none());
    }

    public KafkaClients(KafkaSettings settings, GroupInstances instances) {
        this.settings = settings;
        this.instances = instances;
    }

    public KafkaSettings settings() {
        return settings;
    }

    public Map<String, Object> producerConfig(String clientId) {
        Map<String, Object> config = common(clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // How long send() may block for metadata, and how long a record may wait for its ack:
        // short, so a missing broker becomes a fast 503 rather than a hung request.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 3_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 8_000);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MessageLimits.MAX_RECORD_BYTES);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return withOperatorProperties(config);
    }

    public Map<String, Object> consumerConfig(String clientId, String groupId) {
        Map<String, Object> config = common(clientId);
        if (groupId != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
            instances.claim(groupId).ifPresent(id -> config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
        }
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return withOperatorProperties(config);
    }

    public Producer<byte[], byte[]> newProducer(String clientId) {
        return new KafkaProducer<>(producerConfig(clientId));
    }

    /**
     * How a group consumer closes when its service stops on purpose: it leaves its group, even as a
     * static member (which would otherwise stay until its session times out), so the group's other
     * members take its partitions at once. A crash leaves nothing: the restart reclaims them.
     */
    public static CloseOptions leavingGroup(Duration timeout) {
        return CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(timeout);
    }

    public Consumer<byte[], byte[]> newConsumer(String clientId, String groupId) {
        return new KafkaConsumer<>(consumerConfig(clientId, groupId));
    }

    public Admin newAdmin(String clientId) {
        return Admin.create(adminConfig(clientId));
    }

    public Map<String, Object> adminConfig(String clientId) {
        Map<String, Object> config = common(clientId);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        return withOperatorProperties(config);
    }

    /**
     * What a Kafka Streams app adds to its own settings so its every internal client (consumers,
     * producer, admin) reaches the cluster as the others do: where it is, and the operator's
     * properties; and its main consumer's static membership (Kafka Streams adds each stream thread's
     * index to the id).
     */
    public Map<String, Object> streamsConnection(String applicationId) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", settings.bootstrapServers());
        instances.claim(applicationId)
                .ifPresent(id -> config.put("main.consumer." + ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
        // Kafka Streams' prefixes (StreamsConfig is not on this module's path). Their changelogs hold task views with results, as large as the records they were built from.
        config.put("producer." + ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MessageLimits.MAX_RECORD_BYTES);
        config.put("topic." + TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MessageLimits.MAX_RECORD_BYTES));
        return withOperatorProperties(config);
    }

    private Map<String, Object> common(String clientId) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", settings.bootstrapServers());
        config.put("client.id", clientId);
        return config;
    }

    /** Last, so an operator may tune the timeouts above; what Taskgate must own is refused at load. */
    private Map<String, Object> withOperatorProperties(Map<String, Object> config) {
        config.putAll(settings.clientProperties().asMap());
        return config;
    }
}
