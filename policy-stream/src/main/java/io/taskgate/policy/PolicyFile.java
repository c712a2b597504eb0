package io.taskgate.policy;

import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.kafka.KafkaSender;
import io.taskgate.schemas.policy.PolicyException;
import io.taskgate.schemas.policy.PolicyParser;
import io.taskgate.schemas.policy.PolicyRecord;
import io.taskgate.schemas.topics.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The policy file named by {@code TASKGATE_POLICY_FILE}: read and validated at start, so a bad
 * file stops the service with the parser's line, then published as the policy in force.
 */
final class PolicyFile {
    private static final long PUBLISH_TIMEOUT_S = 30;

    private final Path path;
    private final String document;

    private PolicyFile(Path path, String document) {
        this.path = path;
        this.document = document;
    }

    /**
     * @throws ConfigException naming the file and, for an invalid policy, the field and line
     */
    static PolicyFile read(Path path) {
        String document;
        try {
            document = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(Setting.POLICY_FILE, "cannot read " + path + ": " + e.getMessage());
        }
        try {
            PolicyParser.parse(document);
        } catch (PolicyException e) {
            throw new ConfigException(Setting.POLICY_FILE, path + ": " + e.getMessage());
        }
        return new PolicyFile(path, document);
    }

    /** Publishes the document under {@link PolicyRecord#KEY} and waits until the cluster has it. */
    void publish(KafkaClients clients, Topics topics, Clock clock) {
        PolicyRecord record = new PolicyRecord(document, clock.instant(), "file:" + path);
        try (KafkaSender sender = new KafkaSender(clients.newProducer("policy-file"))) {
            sender.send(topics.policies(), PolicyRecord.KEY, record).get(PUBLISH_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing the policy file", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("cannot publish the policy file " + path + " to "
                    + topics.policies().name() + ": " + cause, cause);
        }
    }
}
