package io.taskgate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.platform.kafka.CompactedTopicView;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.kafka.KafkaSender;
import io.taskgate.schemas.policy.PolicyRecord;
import io.taskgate.schemas.topics.Topics;
import io.taskgate.testing.TestKafka;
import io.taskgate.testing.WithKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy file at start against the policies topic: published when new or changed, never over a later PUT. */
@WithKafka
class PolicyFileIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String FILE_POLICY = "version: 1\ntasks:\n  echo.*:\n    rate_limit: 2/minute\n";
    private static final String PUT_POLICY = "version: 1\ntasks:\n  echo.*:\n    rate_limit: 50/minute\n";
    private static final String EDITED_FILE_POLICY = "version: 1\ntasks:\n  echo.*:\n    rate_limit: 5/minute\n";


    @TempDir
    Path dir;

    @Test
    void shouldKeepAPolicyPutSinceTheFileWasPublishedUntilTheFileChanges(TestKafka kafka) throws Exception {
        Topics topics = kafka.topics();
        KafkaClients clients = kafka.clients();
        Path file = Files.writeString(dir.resolve("policy.yaml"), FILE_POLICY);

        assertTrue(publishAtStart(file, clients, topics), "first start publishes");
        PolicyRecord published = inForce(clients, topics);
        assertEquals(FILE_POLICY, published.document());
        assertEquals("file:" + file, published.source());

        assertFalse(publishAtStart(file, clients, topics),
                "a restart with the same file publishes nothing");

        // What PUT /api/policy publishes: the new document, carrying the digest of the file it replaced.
        try (KafkaSender sender = new KafkaSender(clients.newProducer("it-put"))) {
            sender.send(topics.policies(), PolicyRecord.KEY, new PolicyRecord(PUT_POLICY, Instant.now(), "api",
                    published.fileDigest())).get(30, TimeUnit.SECONDS);
        }
        assertFalse(publishAtStart(file, clients, topics),
                "a restart with the same file keeps the policy put since");
        assertEquals(PUT_POLICY, inForce(clients, topics).document());

        Files.writeString(file, EDITED_FILE_POLICY);
        assertTrue(publishAtStart(file, clients, topics),
                "an edited file is published");
        assertEquals(EDITED_FILE_POLICY, inForce(clients, topics).document());
    }

    /** What a starting policy-stream does with its policy file. */
    private static boolean publishAtStart(Path file, KafkaClients clients, Topics topics) {
        try (CompactedTopicView<PolicyRecord> policies = new CompactedTopicView<>(topics.policies(),
                clients.newConsumer("it-policy-stream", null))) {
            policies.start();
            return PolicyFile.read(file).publishUnlessInForce(policies, clients, topics, Clock.systemUTC());
        }
    }

    private static PolicyRecord inForce(KafkaClients clients, Topics topics) {
        try (CompactedTopicView<PolicyRecord> view = new CompactedTopicView<>(topics.policies(),
                clients.newConsumer("it-policy-view", null))) {
            view.start();
            assertTrue(view.awaitCaughtUp(TIMEOUT));
            return view.get(PolicyRecord.KEY).orElseThrow();
        }
    }
}
