package io.taskgate.ingress.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskgate.ingress.http.ApiException;
import io.taskgate.platform.kafka.KafkaSender;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.topics.Topics;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The bound on tasks being published: beyond it a task is refused at once, and a finished publish frees its place. */
class TaskPublisherTest {
    private static final int LIMIT = 3;

    // Acks arrive only when the test says so: every send stays in flight until then.
    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final TaskPublisher publisher = new TaskPublisher(new KafkaSender(producer), new Topics("t"), Runnable::run,
            () -> true, LIMIT, Clock.systemUTC(), new SimpleMeterRegistry());

    @Test
    void shouldRefuseATaskAtOnceWhileTheLimitIsBeingPublished() {
        List<CompletableFuture<Void>> held = new ArrayList<>();
        for (int i = 0; i < LIMIT; i++) {
            held.add(publisher.submit(task(i), null));
        }

        CompletableFuture<Void> refused = publisher.submit(task(LIMIT), null);

        assertTrue(refused.isCompletedExceptionally(), "refused without waiting for Kafka");
        ApiException error = assertInstanceOf(ApiException.class, cause(refused));
        assertEquals(ErrorCode.UNAVAILABLE, error.detail().kind());
        assertEquals(1L, error.detail().retryAfterS());
        assertEquals(LIMIT, producer.history().size(), "the refused task was not sent");
        assertTrue(held.stream().noneMatch(CompletableFuture::isDone));
        assertEquals(LIMIT, publisher.inFlight());
    }

    @Test
    void shouldTakeTasksAgainOncePublishesEnd() {
        List<CompletableFuture<Void>> held = new ArrayList<>();
        for (int i = 0; i < LIMIT; i++) {
            held.add(publisher.submit(task(i), null));
        }
        assertTrue(publisher.submit(task(LIMIT), null).isCompletedExceptionally());
        // Each task's two records (the request, then its accepted event) acknowledged.
        while (!held.stream().allMatch(CompletableFuture::isDone)) {
            producer.completeNext();
        }
        held.forEach(CompletableFuture::join);

        CompletableFuture<Void> next = publisher.submit(task(LIMIT + 1), null);

        assertFalse(next.isDone(), "taken, and waiting for its own acks");
        assertEquals(1, publisher.inFlight());
    }

    @Test
    void shouldFreeThePlaceOfAPublishKafkaRefused() {
        CompletableFuture<Void> failed = publisher.submit(task(0), null);
        producer.errorNext(new TimeoutException("no ack"));

        assertInstanceOf(ApiException.class, cause(failed));
        assertEquals(0, publisher.inFlight());
    }

    private static Throwable cause(CompletableFuture<Void> future) {
        try {
            future.join();
            throw new AssertionError("expected a failure");
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    private static TaskMessage task(int n) {
        return new TaskMessage("tsk_" + n, "echo.run", "agt_a", "agent-a", JsonNodeFactory.instance.objectNode().put("n", n), null,
                "req_" + n, null, "127.0.0.1", Instant.now(), "default");
    }
}
