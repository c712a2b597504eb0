package io.taskgate.platform.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskgate.platform.kafka.KafkaSender;
import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.schemas.topics.Topics;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An audit record Kafka did not acknowledge because the broker was away must still reach the
 * trail: the chaos run lost 126 of them (task.accepted, task.started, task.succeeded) to one broker
 * SIGKILL, while the tasks they describe ran.
 */
class AuditLogTest {
    private static final long DEADLINE_MS = 10_000;

    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final ScheduledExecutorService resends = Executors.newSingleThreadScheduledExecutor();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final AuditLog log = new AuditLog(new KafkaSender(producer), new Topics("unit"), "worker", resends,
            Clock.systemUTC(), metrics);

    @AfterEach
    void shutdown() {
        resends.shutdownNow();
    }

    @Test
    void shouldSendARecordAgainUntilKafkaAcknowledgesIt() throws InterruptedException {
        log.entry(AuditAction.TASK_SUCCEEDED).agent("agt_1").task("tsk_1").outcome("succeeded").publish();
        until("one record sent", () -> producer.history().size() == 1);

        producer.errorNext(new TimeoutException("Expiring 1 record(s): 8000 ms has passed since batch creation"));
        until("sent again after the delivery timeout", () -> producer.history().size() == 2);
        producer.errorNext(new TimeoutException("Expiring 1 record(s): 8000 ms has passed since batch creation"));
        until("and again while the broker stays away", () -> producer.history().size() == 3);
        assertTrue(producer.completeNext());

        assertArrayEquals(producer.history().get(0).value(), producer.history().get(2).value(), "the same record again");
        assertEquals(2.0, metrics.get("taskgate_audit_publish_resends").counter().count());
        assertEquals(0.0, metrics.get("taskgate_audit_publish_failures").counter().count());
    }

    @Test
    void shouldGiveUpAtOnceOnAnErrorThatRetryingCannotMend() throws InterruptedException {
        log.entry(AuditAction.TASK_SUCCEEDED).agent("agt_1").task("tsk_1").outcome("succeeded").publish();
        until("one record sent", () -> producer.history().size() == 1);

        producer.errorNext(new TopicAuthorizationException("not allowed to write the audit topic"));

        until("counted as given up", () -> metrics.get("taskgate_audit_publish_failures").counter().count() == 1.0);
        resends.shutdown();
        assertTrue(resends.awaitTermination(5, TimeUnit.SECONDS));
        assertEquals(1, producer.history().size(), "not sent again");
        assertEquals(0.0, metrics.get("taskgate_audit_publish_resends").counter().count());
    }

    private static void until(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + DEADLINE_MS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not within " + DEADLINE_MS + " ms: " + what);
            }
            Thread.sleep(10);
        }
    }
}
