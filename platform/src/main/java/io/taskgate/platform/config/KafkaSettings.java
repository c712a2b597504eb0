package io.taskgate.platform.config;

import io.taskgate.schemas.topics.Topics;
import java.util.Objects;

/**
 * Where the cluster is, which topics this installation uses, and what the operator adds to every
 * client (TLS, SASL): {@link #toString()} masks secret values, as {@link KafkaClientProperties} does.
 */
public record KafkaSettings(String bootstrapServers, Topics topics, KafkaClientProperties clientProperties) {

    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(clientProperties, "clientProperties");
    }

    /** A cluster that needs no client properties beyond where it is (a plaintext broker). */
    public KafkaSettings(String bootstrapServers, Topics topics) {
        this(bootstrapServers, topics, KafkaClientProperties.none());
    }

    public static KafkaSettings from(ConfigSource config) {
        String bootstrap = config.required(Setting.KAFKA_BOOTSTRAP);
        try {
            return new KafkaSettings(bootstrap, new Topics(config.string(Setting.TOPIC_PREFIX)), config.kafkaProperties());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Setting.TOPIC_PREFIX, e.getMessage());
        }
    }
}
