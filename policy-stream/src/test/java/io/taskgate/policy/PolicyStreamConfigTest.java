package io.taskgate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.kafka.KafkaClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyStreamConfigTest {

    @Test
    void shouldDefaultToTheDataDirAndNoPolicyFile() {
        PolicyStreamConfig config = PolicyStreamConfig.from(ConfigSource.of(Map.of(Setting.DATA_DIR, "/var/lib/taskgate")));

        assertEquals("taskgate-policy", config.applicationId());
        assertEquals(Path.of("/var/lib/taskgate", "state"), config.stateDir());
        assertEquals(Optional.empty(), config.policyFile());
        assertEquals("127.0.0.1:9092", config.kafka().bootstrapServers());
    }

    @Test
    void shouldTakeStateDirPolicyFileAndPrefixFromSettings() {
        PolicyStreamConfig config = PolicyStreamConfig.from(ConfigSource.of(Map.of(
                Setting.TOPIC_PREFIX, "acme",
                Setting.STATE_DIR, "/tmp/streams",
                Setting.POLICY_FILE, "/etc/taskgate/policy.yaml")));

        assertEquals("acme-policy", config.applicationId());
        assertEquals("acme.tasks.requested", config.kafka().topics().requested().name());
        assertEquals(Path.of("/tmp/streams"), config.stateDir());
        assertEquals(Optional.of(Path.of("/etc/taskgate/policy.yaml")), config.policyFile());
    }

    @Test
    void shouldProcessExactlyOnce() {
        PolicyStreamConfig config = PolicyStreamConfig.from(ConfigSource.of(Map.of(Setting.STATE_DIR, "/tmp/streams")));

        assertEquals("exactly_once_v2", PolicyStreamService.streamsProperties(config, new KafkaClients(config.kafka())).get("processing.guarantee"));
        assertEquals(Path.of("/tmp/streams").toAbsolutePath().toString(),
                PolicyStreamService.streamsProperties(config, new KafkaClients(config.kafka())).get("state.dir"));
    }

    @Test
    void shouldCommitEvery20MsByDefaultAndPollAtHalfTheCommitInterval() {
        PolicyStreamConfig defaults = PolicyStreamConfig.from(ConfigSource.of(Map.of()));
        PolicyStreamConfig slower = PolicyStreamConfig.from(ConfigSource.of(Map.of(Setting.POLICY_COMMIT_INTERVAL_MS, "200")));

        assertEquals(Duration.ofMillis(20), defaults.commitInterval());
        assertEquals(20L, PolicyStreamService.streamsProperties(defaults, new KafkaClients(defaults.kafka())).get("commit.interval.ms"));
        assertEquals(10L, PolicyStreamService.streamsProperties(defaults, new KafkaClients(defaults.kafka())).get("poll.ms"));
        assertEquals(100L, PolicyStreamService.streamsProperties(slower, new KafkaClients(slower.kafka())).get("poll.ms"));
    }

    @Test
    void shouldRefuseACommitIntervalThatIsNotAPositiveNumber() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> PolicyStreamConfig.from(ConfigSource.of(Map.of(Setting.POLICY_COMMIT_INTERVAL_MS, "0"))));

        assertTrue(e.getMessage().startsWith("TASKGATE_POLICY_COMMIT_INTERVAL_MS"), e.getMessage());
    }
}
