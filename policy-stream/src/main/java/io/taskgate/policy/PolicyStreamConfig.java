package io.taskgate.policy;

import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.KafkaSettings;
import io.taskgate.platform.config.Setting;
import java.nio.file.Path;
import java.time.Duration;
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
 * @param commitInterval how often the exactly-once transaction commits ({@code TASKGATE_POLICY_COMMIT_INTERVAL_MS}):
 *                      read_committed workers see a decision only once it is committed
 */
public record PolicyStreamConfig(KafkaSettings kafka, String applicationId, Path stateDir, Optional<Path> policyFile,
                                 Duration commitInterval) {
    private static final int MAX_COMMIT_INTERVAL_MS = 60_000;

    public PolicyStreamConfig {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(policyFile, "policyFile");
        Objects.requireNonNull(commitInterval, "commitInterval");
    }

    public static PolicyStreamConfig from(ConfigSource config) {
        KafkaSettings kafka = KafkaSettings.from(config);
        Path stateDir = config.path(Setting.STATE_DIR)
                .orElseGet(() -> Path.of(config.string(Setting.DATA_DIR), "state"));
        Duration commitInterval = Duration.ofMillis(config.integer(Setting.POLICY_COMMIT_INTERVAL_MS, 1, MAX_COMMIT_INTERVAL_MS));
        return new PolicyStreamConfig(kafka, kafka.topics().prefix() + "-policy", stateDir, config.path(Setting.POLICY_FILE),
                commitInterval);
    }
}
