package io.taskgate.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.taskgate.launcher.dev.DevEnvironment;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.KafkaSettings;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.ops.Metrics;
import io.taskgate.platform.tracing.TraceContext;
import io.taskgate.schemas.json.Json;
import io.taskgate.schemas.topics.Topics;
import io.taskgate.testing.Await;
import io.taskgate.testing.HttpDriver;
import io.taskgate.testing.HttpDriver.Response;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A W3C trace from the caller through every service, over the real broker: ingress keeps the
 * caller's trace, the task's records carry it in their headers, the worker's http_fetch sends it
 * to the site it fetches, and every audit record of the task names it.
 */
class TracePropagationIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    @TempDir
    static Path dataDir;

    static DevEnvironment dev;
    static HttpServer site;
    static HttpDriver http;
    static String token;
    static final List<String> SEEN_TRACEPARENTS = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startEverything() throws IOException {
        site = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        site.createContext("/", exchange -> {
            SEEN_TRACEPARENTS.add(String.valueOf(exchange.getRequestHeaders().getFirst("traceparent")));
            byte[] body = "{\"ok\": true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        site.start();
        ConfigSource config = ConfigSource.of(Map.of(
                Setting.DATA_DIR, dataDir.resolve("data").toString(),
                Setting.PORT, "0",
                Setting.AUDIT_PORT, "0",
                Setting.HTTP_FETCH_ALLOW_PRIVATE, "true"));
        dev = DevEnvironment.start(config, Metrics.newRegistry("test"), Clock.systemUTC());
        http = new HttpDriver(dev.ingressUrl());
        String agentId = http.createAgent(dev.adminToken(), "{\"name\": \"tracer\", \"tools\": [\"http_fetch\", \"echo\"], \"actions\": [\"*\"]}");
        token = http.mintToken(dev.adminToken(), agentId, "{\"tools\": [\"http_fetch\", \"echo\"], \"actions\": [\"*\"]}");
    }

    @AfterAll
    static void stopEverything() {
        if (dev != null) {
            dev.close();
        }
        if (site != null) {
            site.stop(0);
        }
    }

    @Test
    void shouldCarryTheCallersTraceToTheToolCallAndEveryAuditRecord() {
        Response answered = http.postTask(token, "http_fetch.get",
                "{\"input\": {\"url\": \"http://127.0.0.1:" + site.getAddress().getPort() + "/page\"}}",
                "Prefer", "wait=30", "traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01");

        assertEquals(200, answered.statusCode(), answered::toString);
        assertEquals("succeeded", answered.json().path("status").asText(), answered::toString);
        String taskId = answered.json().get("task_id").asText();
        TraceContext ingressSpan = TraceContext.parse(answered.header("traceparent")).orElseThrow();
        assertEquals(TRACE_ID, ingressSpan.traceId());
        assertNotEquals(CALLER_SPAN, ingressSpan.parentId(), "ingress answers with a span of its own");

        assertEquals(1, SEEN_TRACEPARENTS.size(), SEEN_TRACEPARENTS::toString);
        TraceContext toolCall = TraceContext.parse(SEEN_TRACEPARENTS.get(0)).orElseThrow();
        assertEquals(TRACE_ID, toolCall.traceId(), "the fetched site joins the trace");
        assertNotEquals(ingressSpan.parentId(), toolCall.parentId(), "the tool call is a span of its own");

        Map<String, String> traceByAction = auditTraceIds(taskId, Set.of("task.accepted", "policy.decision", "task.started",
                "task.succeeded"));
        traceByAction.forEach((action, traceId) -> assertEquals(TRACE_ID, traceId, action));
        for (String topic : List.of(topics().requested().name(), topics().ready(Topics.DEFAULT_POOL).name(), topics().taskEvents().name())) {
            assertEquals(TRACE_ID, TraceContext.traceIdOf(headerOf(topic, taskId)), topic);
        }
    }

    @Test
    void shouldStartATraceForACallerWithoutOne() {
        Response answered = http.postTask(token, "echo.run", "{\"input\": 1}", "Prefer", "wait=30");

        assertEquals(200, answered.statusCode(), answered::toString);
        String traceId = TraceContext.parse(answered.header("traceparent")).orElseThrow().traceId();
        Map<String, String> traceByAction = auditTraceIds(answered.json().get("task_id").asText(),
                Set.of("task.accepted", "policy.decision", "task.succeeded"));
        traceByAction.forEach((action, seen) -> assertEquals(traceId, seen, action));
    }

    private static Topics topics() {
        return KafkaSettings.from(dev.config()).topics();
    }

    /** The trace id of each audit record of the task, by action, once all of {@code actions} are on the topic. */
    private static Map<String, String> auditTraceIds(String taskId, Set<String> actions) {
        Map<String, String> byAction = new HashMap<>();
        readTopic(topics().audit().name(), record -> {
            JsonNode audit = Json.mapper().readTree(record.value());
            if (taskId.equals(audit.path("task_id").asText())) {
                byAction.put(audit.path("action").asText(), audit.path("trace_id").asText(null));
            }
            return byAction.keySet().containsAll(actions);
        });
        return byAction;
    }

    /** The {@code traceparent} header of the first record about the task on {@code topic}. */
    private static String headerOf(String topic, String taskId) {
        List<String> found = new ArrayList<>();
        readTopic(topic, record -> {
            String value = record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8);
            Header header = record.headers().lastHeader(TraceContext.HEADER);
            if (value.contains(taskId) && header != null) {
                found.add(new String(header.value(), StandardCharsets.US_ASCII));
            }
            return !found.isEmpty();
        });
        return found.get(0);
    }

    @FunctionalInterface
    private interface RecordCheck {
        boolean seenEnough(ConsumerRecord<byte[], byte[]> record) throws IOException;
    }

    private static void readTopic(String topic, RecordCheck check) {
        KafkaClients clients = new KafkaClients(KafkaSettings.from(dev.config()));
        try (Consumer<byte[], byte[]> consumer = clients.newConsumer("trace-it-" + System.nanoTime(), null)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            boolean[] done = {false};
            Await.until("records on " + topic, () -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (!done[0]) {
                        try {
                            done[0] = check.seenEnough(record);
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
                return done[0];
            }, DEADLINE);
        }
    }
}
