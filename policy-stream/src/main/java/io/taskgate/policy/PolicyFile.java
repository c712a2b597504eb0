package io.taskgate.policy;

import io.taskgate.platform.audit.Redaction;
import io.taskgate.platform.concurrent.Futures;
import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.kafka.CompactedTopicView;
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
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy file named by {@code TASKGATE_POLICY_FILE}: read and validated at start, so a bad
 * file stops the service with the parser's line, then published as the policy in force when its
 * content changed since it was last published.
 */
final class PolicyFile {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyFile.class);
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(30);

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

    /**
     * Publishes the document under {@link PolicyRecord#KEY} and waits until the cluster has it, unless
     * the policy in force came from this same file content: then the file was published before and
     * what is in force is either it or a policy an admin has put since, which a restart must not
     * undo. Returns whether it published.
     */
    boolean publishUnlessInForce(CompactedTopicView<PolicyRecord> policies, KafkaClients clients, Topics topics,
                                 Clock clock) {
        String digest = Redaction.sha256(document);
        if (!policies.awaitCaughtUp(PUBLISH_TIMEOUT)) {
            throw new IllegalStateException("cannot read the policy in force from " + topics.policies().name()
                    + " within " + PUBLISH_TIMEOUT.toSeconds() + " s");
        }
        Optional<PolicyRecord> inForce = policies.get(PolicyRecord.KEY);
        if (inForce.map(record -> digest.equals(record.fileDigest())).orElse(false)) {
            LOG.info("policy file {} unchanged since it was published; the policy in force (from {}, {}) stays",
                    path, inForce.get().source(), inForce.get().updatedAt());
            return false;
        }
        PolicyRecord record = new PolicyRecord(document, clock.instant(), "file:" + path, digest);
        try (KafkaSender sender = new KafkaSender(clients.newProducer("policy-file"))) {
            sender.send(topics.policies(), PolicyRecord.KEY, record).get(PUBLISH_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing the policy file", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = Futures.unwrap(e);
            throw new IllegalStateException("cannot publish the policy file " + path + " to "
                    + topics.policies().name() + ": " + cause, cause);
        }
        LOG.info("published policy file {} ({})", path, digest);
        return true;
    }
}
