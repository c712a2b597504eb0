package io.taskgate.policy;

import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.KafkaSettings;
import io.taskgate.platform.config.Setting;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the policy stream.
 *
 * @param kafka         the cluster and the topics
 * @param applicationId the Kafka Streams application id, {@code <prefix>-policy}: every instance
 *                      of one installation shares it, and so shares the work
 * @param stateDir      where the local state stores live ({@code TASKGATE_STATE_DIR}, default {@code DATA_DIR/state})
 * @param policyFile    a policy document to publish at start ({@code TASKGATE_POLICY_FILE}), if any
 */
public record PolicyStreamConfig(KafkaSettings kafka, String applicationId, Path stateDir, Optional<Path> policyFile) {

    public PolicyStreamConfig {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(policyFile, "policyFile");
    }

    public static PolicyStreamConfig from(ConfigSource config) {
        KafkaSettings kafka = KafkaSettings.from(config);
        Path stateDir = config.path(Setting.STATE_DIR)
                .orElseGet(() -> Path.of(config.string(Setting.DATA_DIR), "state"));
        return new PolicyStreamConfig(kafka, kafka.topics().prefix() + "-policy", stateDir, config.path(Setting.POLICY_FILE));
    }
}
