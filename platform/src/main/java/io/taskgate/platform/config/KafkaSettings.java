package io.taskgate.platform.config;

import io.taskgate.schemas.topics.Topics;
import java.util.Objects;

/** Where the cluster is and which topics this installation uses. */
public record KafkaSettings(String bootstrapServers, Topics topics) {

    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topics, "topics");
    }

    public static KafkaSettings from(ConfigSource config) {
        String bootstrap = config.required(Setting.KAFKA_BOOTSTRAP);
        try {
            return new KafkaSettings(bootstrap, new Topics(config.string(Setting.TOPIC_PREFIX)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Setting.TOPIC_PREFIX, e.getMessage());
        }
    }
}
