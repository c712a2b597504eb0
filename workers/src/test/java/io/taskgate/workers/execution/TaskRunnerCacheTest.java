package io.taskgate.workers.execution;

import static io.taskgate.workers.tools.Tasks.json;
import static io.taskgate.workers.tools.Tasks.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskgate.platform.audit.AuditLog;
import io.taskgate.platform.kafka.KafkaSender;
import io.taskgate.platform.secrets.SecretRedactor;
import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.schemas.audit.AuditEvent;
import io.taskgate.schemas.tasks.TaskEvent;
import io.taskgate.schemas.tasks.TaskEvent.Kind;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.topics.TopicSpec;
import io.taskgate.schemas.topics.Topics;
import io.taskgate.tool.api.Tool;
import io.taskgate.workers.cache.ResponseCache;
import io.taskgate.workers.resilience.ToolResilience;
import io.taskgate.workers.tools.ToolRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TaskRunnerCacheTest {
    private final Topics topics = new Topics("unit");
    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final Clock clock = Clock.fixed(Instant.parse("2024-05-01T12:00:00Z"), ZoneOffset.UTC);
    private final AtomicInteger searches = new AtomicInteger();

    @AfterEach
    void shutdown() {
        scheduler.shutdownNow();
    }

    @Test
    void shouldAnswerARepeatedSearchFromTheCacheMarkedCachedAndCounted() throws Exception {
        TaskRunner runner = runner(new ResponseCache(Map.of("serpapi", Duration.ofMinutes(5)), metrics, Ticker.systemTicker()));

        run(runner, task("tsk_1", "serpapi.search", "{\"q\": \"kafka\", \"num\": 5}"));
        run(runner, task("tsk_2", "serpapi.search", "{\"num\": 5, \"q\": \"kafka\"}"));
        run(runner, task("tsk_3", "serpapi.search", "{\"q\": \"streams\"}"));

        assertEquals(2, searches.get(), "the repeated query did not reach the tool");
        List<TaskEvent> succeeded = events().stream().filter(event -> event.event() == Kind.SUCCEEDED).toList();
        assertNull(succeeded.get(0).cached());
        assertEquals(Boolean.TRUE, succeeded.get(1).cached());
        assertEquals("tsk_2", succeeded.get(1).taskId());
        assertEquals(json("{\"answer\": \"kafka\", \"call\": 1}"), succeeded.get(1).result());
        assertNull(succeeded.get(2).cached());
        assertEquals(1.0, metrics.get("gateway_cache_hits").tag("tool", "serpapi").counter().count());
        AuditEvent cachedAudit = audit().stream()
                .filter(event -> event.action() == AuditAction.TASK_SUCCEEDED && "tsk_2".equals(event.taskId())).findFirst().orElseThrow();
        assertEquals(true, cachedAudit.details().get("cached"));
    }

    @Test
    void shouldRunTheToolEveryTimeWhenTheToolHasNoTtl() throws Exception {
        TaskRunner runner = runner(ResponseCache.none(metrics));

        run(runner, task("tsk_1", "serpapi.search", "{\"q\": \"kafka\"}"));
        run(runner, task("tsk_2", "serpapi.search", "{\"q\": \"kafka\"}"));

        assertEquals(2, searches.get());
        events().forEach(event -> assertNull(event.cached()));
    }

    private void run(TaskRunner runner, TaskMessage task) throws Exception {
        runner.handle(task, "req").toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private TaskRunner runner(ResponseCache cache) {
        Tool search = new Tool() {
            @Override
            public String name() {
                return "serpapi";
            }

            @Override
            public Set<String> actions() {
                return Set.of("search");
            }

            @Override
            public CompletionStage<JsonNode> run(TaskMessage task) {
                int call = searches.incrementAndGet();
                return CompletableFuture.completedFuture(json("{\"answer\": \"" + task.input().get("q").asText() + "\", \"call\": " + call + "}"));
            }
        };
        KafkaSender sender = new KafkaSender(producer);
        TaskReporter reporter = new TaskReporter(sender, topics, new AuditLog(sender, topics, "worker", scheduler, clock, metrics), scheduler,
                clock, metrics);
        return new TaskRunner(new ToolRegistry(List.of(search)), new ToolResilience(List.of(), scheduler, clock, Map.of()),
                reporter, id -> false, clock, metrics, "default", cache, SecretRedactor.none());
    }

    private List<TaskEvent> events() {
        TopicSpec<String, TaskEvent> topic = topics.taskEvents();
        return producer.history().stream().filter(record -> record.topic().equals(topic.name()))
                .map(record -> topic.valueSerde().deserializer().deserialize(topic.name(), record.value())).toList();
    }

    private List<AuditEvent> audit() {
        TopicSpec<String, AuditEvent> topic = topics.audit();
        return producer.history().stream().filter(record -> record.topic().equals(topic.name()))
                .map(record -> topic.valueSerde().deserializer().deserialize(topic.name(), record.value())).toList();
    }
}
