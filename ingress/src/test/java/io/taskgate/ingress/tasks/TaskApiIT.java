package io.taskgate.ingress.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskgate.ingress.IngressConfig;
import io.taskgate.ingress.auth.Authenticator;
import io.taskgate.ingress.auth.Principal;
import io.taskgate.ingress.edge.EdgeSettings;
import io.taskgate.ingress.http.ApiException;
import io.taskgate.ingress.http.ErrorMappingHandler;
import io.taskgate.ingress.testing.RawHttp;
import io.taskgate.platform.audit.AuditLog;
import io.taskgate.platform.http.RequestIds;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.kafka.KafkaSender;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import io.taskgate.schemas.policy.IngressRules;
import io.taskgate.schemas.policy.IpAllowlist;
import io.taskgate.schemas.policy.Policy;
import io.taskgate.schemas.policy.TaskRule;
import io.taskgate.schemas.tasks.TaskEvent;
import io.taskgate.schemas.tasks.TaskIds;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.tools.ToolCatalog;
import io.taskgate.schemas.topics.TopicSpec;
import io.taskgate.schemas.topics.Topics;
import io.taskgate.testing.Await;
import io.taskgate.testing.HttpDriver;
import io.taskgate.testing.HttpDriver.Response;
import io.taskgate.testing.TestKafka;
import io.taskgate.testing.WithKafka;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@WithKafka
class TaskApiIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    /** The default limit: a body just under it once grew past the producer's 1 MiB limit and got a 503. */
    private static final long MAX_BODY_BYTES = 1024 * 1024;
    private static final String AGENT_A = "Bearer agent-a";
    private static final String AGENT_B = "Bearer agent-b";
    private static final byte[] HMAC_SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    /** The ids the instances issue: same secret. */
    private static final TaskIds IDS = TaskIds.keyedBy(HMAC_SECRET, new SecureRandom());
    private static final Policy POLICY = new Policy(1, Policy.DEFAULT_RATE_LIMIT, null,
            new IngressRules(IpAllowlist.everyone(), Policy.DEFAULT_PER_IP_RATE_LIMIT),
            List.of(new TaskRule("public.*", null, List.of(), List.of(), "http://127.0.0.1:9", true, null, false)));

    /** Stands in for the JWT authenticator: the token names the principal. */
    private static final Authenticator AUTHENTICATOR = exchange -> {
        String authorization = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (authorization == null) {
            return Optional.empty();
        }
        Instant expiry = Instant.now().plus(Duration.ofHours(1));
        return Optional.of(switch (authorization) {
            case AGENT_A -> new Principal("agt_a", "agent-a", Set.of("*"), Set.of("*"), "jti-a", expiry);
            case AGENT_B -> new Principal("agt_b", "agent-b", Set.of("*"), Set.of("*"), "jti-b", expiry);
            case "Bearer echo-only" -> new Principal("agt_c", "agent-c", Set.of("echo"), Set.of("*"), "jti-c", expiry);
            case "Bearer runs-only" -> new Principal("agt_d", "agent-d", Set.of("*"), Set.of("run"), "jti-d", expiry);
            default -> throw new ApiException(ErrorCode.UNAUTHORIZED, "the access token is not valid");
        });
    };

    private static Topics topics;
    private static KafkaClients clients;
    private static KafkaSender sender;
    private static Instance first;
    private static Instance second;

    @BeforeAll
    static void start(TestKafka kafka) throws IOException {
        topics = kafka.topics();
        clients = kafka.clients();
        sender = new KafkaSender(clients.newProducer("it-producer"));
        Path stateRoot = Files.createTempDirectory("taskgate-ingress-it-");
        first = new Instance(stateRoot.resolve("first"));
        Await.until("the first instance ready", first.api::isReady, DEADLINE);
        second = new Instance(stateRoot.resolve("second"));
        Await.until("both instances ready", () -> first.api.isReady() && second.api.isReady(), DEADLINE);
        // Streams moves partitions to a new instance in more than one rebalance: settle once every
        // partition has an owner both instances agree on (an unknown id is then 404, not 503).
        List<String> onePerPartition = idsCoveringEveryPartition();
        Await.until("every partition owned by an instance both agree on", () -> onePerPartition.stream().allMatch(id ->
                get(first, id, AGENT_A, "").statusCode() == 404 && get(second, id, AGENT_A, "").statusCode() == 404), DEADLINE);
    }

    private static List<String> idsCoveringEveryPartition() {
        int partitions = topics.taskEvents().partitions();
        Map<Integer, String> byPartition = new HashMap<>();
        while (byPartition.size() < partitions) {
            String id = IDS.random("agt_a");
            byPartition.putIfAbsent(Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % partitions, id);
        }
        return List.copyOf(byPartition.values());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {second, first, sender}) {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    @Test
    void shouldAcceptATaskAndServeItsProgressFromEitherInstance() throws Exception {
        Response posted = post(first, "echo.run", AGENT_A, "{\"input\": {\"hello\": \"world\"}}", Map.of());

        assertEquals(202, posted.statusCode(), posted.body());
        JsonNode body = json(posted);
        String taskId = body.get("task_id").asText();
        assertTrue(TaskIds.looksValid(taskId));
        assertEquals("queued", body.get("status").asText());
        assertEquals("/__runner/tasks/" + taskId, body.get("status_url").asText());
        assertEquals("/__runner/tasks/" + taskId, posted.headers().firstValue("Location").orElseThrow());

        ConsumerRecord<byte[], byte[]> requested = find(topics.requested(), task -> task.taskId().equals(taskId));
        assertEquals("agt_a", new String(requested.key(), StandardCharsets.UTF_8));
        assertEquals(posted.headers().firstValue("X-Request-Id").orElseThrow(),
                new String(requested.headers().lastHeader("x-request-id").value(), StandardCharsets.UTF_8));
        TaskMessage task = topics.requested().valueSerde().deserializer().deserialize("", requested.value());
        assertEquals(task.createdAt().toEpochMilli(), requested.timestamp());

        int forwardedBefore = first.forwarded.get() + second.forwarded.get();
        for (Instance instance : List.of(first, second)) {
            assertEquals("queued", viewUntil(instance, taskId, AGENT_A, "queued").get("status").asText());
        }
        publish(TaskEvent.started(task, 1, Instant.now()));
        for (Instance instance : List.of(first, second)) {
            assertEquals(1, viewUntil(instance, taskId, AGENT_A, "running").get("attempts").asInt());
        }
        publish(TaskEvent.succeeded(task, 1, task.input(), Instant.now()));
        for (Instance instance : List.of(first, second)) {
            JsonNode view = viewUntil(instance, taskId, AGENT_A, "succeeded");
            assertEquals(task.input(), view.get("result"));
            assertEquals("echo.run", view.get("name").asText());
            assertFalse(view.has("agent_id"));
        }
        assertTrue(first.forwarded.get() + second.forwarded.get() > forwardedBefore, "one instance answered through the other");

        for (Instance instance : List.of(first, second)) {
            assertEquals(404, get(instance, taskId, AGENT_B, "").statusCode(), "another agent's task is not there");
            assertEquals(401, get(instance, taskId, null, "").statusCode());
        }
    }

    @Test
    void shouldHoldAGetWithWaitUntilTheTaskEnds() throws Exception {
        TaskMessage task = accepted(first, AGENT_A, "agt_a", UUID.randomUUID().toString());
        viewUntil(second, task.taskId(), AGENT_A, "queued");

        CompletableFuture<Response> held = getAsync(second, task.taskId(), AGENT_A, "?wait=5");
        Await.until("one waiting GET", () -> waiters() == 1, DEADLINE);
        assertFalse(held.isDone());
        Instant published = Instant.now();
        publish(TaskEvent.succeeded(task, 1, JsonNodeFactory.instance.textNode("done"), published));

        Response answer = held.get();
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("succeeded", json(answer).get("status").asText());
        assertEquals("done", json(answer).get("result").asText());
        assertTrue(Duration.between(published, Instant.now()).compareTo(Duration.ofSeconds(4)) < 0, "answered on the change");
        Await.until("no waiting GET", () -> waiters() == 0, DEADLINE);
    }

    @Test
    void shouldAnswerAPostWithPreferWaitWithTheTaskThatEndedMeanwhile() throws Exception {
        String key = UUID.randomUUID().toString();
        String taskId = IDS.forIdempotencyKey("agt_a", "agt_a", key);

        CompletableFuture<Response> held = postAsync(second, "echo.run", AGENT_A, "{\"input\": 7}",
                Map.of("Idempotency-Key", key, "Prefer", "wait=5"));
        Await.until("one waiting GET", () -> waiters() == 1, DEADLINE);
        publish(TaskEvent.succeeded(worker(taskId), 1, JsonNodeFactory.instance.numberNode(7), Instant.now()));

        Response answer = held.get();
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals(taskId, json(answer).get("task_id").asText());
        assertEquals("succeeded", json(answer).get("status").asText());
        assertEquals(7, json(answer).get("result").asInt());
        assertEquals("\"defaults\";q=600;w=60", answer.headers().firstValue("RateLimit-Policy").orElseThrow());
    }

    @Test
    void shouldAnswerAPostWithPreferWaitWith429WhenTheTaskIsRateLimited() throws Exception {
        String key = UUID.randomUUID().toString();
        String taskId = IDS.forIdempotencyKey("agt_a", "agt_a", key);

        CompletableFuture<Response> held = postAsync(first, "echo.run", AGENT_A, "{\"input\": 1}",
                Map.of("Idempotency-Key", key, "Prefer", "respond-async, wait=5"));
        Await.until("one waiting GET", () -> waiters() == 1, DEADLINE);
        publish(TaskEvent.rejected(worker(taskId), ErrorDetail.retryable(ErrorCode.RATE_LIMITED, "100/hour for echo.run", 12),
                Instant.now()));

        Response answer = held.get();
        assertEquals(429, answer.statusCode(), answer.body());
        assertEquals("12", answer.headers().firstValue("Retry-After").orElseThrow());
        assertEquals("\"defaults\";q=600;w=60", answer.headers().firstValue("RateLimit-Policy").orElseThrow());
        assertEquals("\"defaults\";r=0;t=12", answer.headers().firstValue("RateLimit").orElseThrow());
        JsonNode body = json(answer);
        assertFalse(body.get("ok").asBoolean());
        assertEquals("RATE_LIMITED", body.get("error").get("codeName").asText());
        assertEquals(taskId, body.get("task_id").asText());
    }

    @Test
    void shouldAnswerAProxyCallWithTheResultAloneOrTheTasksError() throws Exception {
        String okKey = UUID.randomUUID().toString();
        String failKey = UUID.randomUUID().toString();
        String okId = IDS.forIdempotencyKey("agt_a", "agt_a", okKey);
        String failId = IDS.forIdempotencyKey("agt_a", "agt_a", failKey);

        CompletableFuture<Response> succeeds = first.http.sendAsync("POST", "/api/proxy/echo/run", "application/json",
                "{\"n\": 1}", headers(AGENT_A, Map.of("Idempotency-Key", okKey)));
        CompletableFuture<Response> fails = second.http.sendAsync("POST", "/api/proxy/echo/run", "application/json",
                "[1, 2]", headers(AGENT_A, Map.of("Idempotency-Key", failKey)));
        Await.until("two held proxy calls", () -> waiters() == 2, DEADLINE);
        publish(TaskEvent.succeeded(worker(okId), 1, JsonNodeFactory.instance.objectNode().put("n", 1), Instant.now()));
        publish(TaskEvent.failed(worker(failId), 3, ErrorDetail.of(ErrorCode.RESULT_TOO_LARGE, "the result is 9 bytes"),
                Instant.now()));

        Response ok = succeeds.get();
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals(JsonNodeFactory.instance.objectNode().put("n", 1), json(ok), "the result, not the task view");
        Response failed = fails.get();
        failed.assertError(502, "RESULT_TOO_LARGE");
        assertEquals(failId, json(failed).get("task_id").asText());
        assertError(404, "NOT_FOUND", send(first, "POST", "/api/proxy/nope/run", AGENT_A, "application/json", "{}", Map.of()));
        assertError(403, "FORBIDDEN", send(first, "POST", "/api/proxy/sleep/run", "Bearer echo-only", "application/json", "{}",
                Map.of()));
    }

    @Test
    void shouldAcceptABodyJustUnderTheLimitRatherThanAnswer503() {
        String prefix = "{\"input\": \"";
        String suffix = "\"}";
        String body = prefix + "x".repeat((int) MAX_BODY_BYTES - prefix.length() - suffix.length() - 1) + suffix;

        Response accepted = post(first, "echo.run", AGENT_A, body, Map.of());

        assertEquals(202, accepted.statusCode(), accepted::body);
        assertError(413, "PAYLOAD_TOO_LARGE", post(first, "echo.run", AGENT_A, body.replace(prefix, prefix + "xx"), Map.of()));
    }

    @Test
    void shouldGiveTheSameTaskForTheSameIdempotencyKeyOnAnyInstance() throws Exception {
        String key = "order-" + UUID.randomUUID();

        Response once = post(first, "echo.run", AGENT_A, "{\"input\": 1}", Map.of("Idempotency-Key", key));
        Response again = post(second, "echo.run", AGENT_A, "{\"input\": 1}", Map.of("Idempotency-Key", key));
        Response otherAgent = post(first, "echo.run", AGENT_B, "{\"input\": 1}", Map.of("Idempotency-Key", key));

        assertEquals(202, once.statusCode(), once.body());
        assertEquals(202, again.statusCode(), again.body());
        assertEquals(json(once).get("task_id"), json(again).get("task_id"));
        assertNotEquals(json(once).get("task_id"), json(otherAgent).get("task_id"));
    }

    @Test
    void shouldRefuseRequestsItCannotAccept() throws Exception {
        assertError(415, "UNSUPPORTED_MEDIA_TYPE", send(first, "POST", "/__runner/task/echo.run", AGENT_A, "text/plain", "input=1", Map.of()));
        assertError(413, "PAYLOAD_TOO_LARGE",
                post(first, "echo.run", AGENT_A, "{\"input\": \"" + "x".repeat((int) MAX_BODY_BYTES) + "\"}", Map.of()));
        assertError(400, "BAD_REQUEST", post(first, "echo.run", AGENT_A, "{\"input\": ", Map.of()));
        Response noInput = post(first, "echo.run", AGENT_A, "{\"data\": 1}", Map.of());
        assertError(400, "BAD_REQUEST", noInput);
        assertTrue(json(noInput).get("error").get("message").asText().contains("input"));
        assertError(400, "BAD_REQUEST", post(first, "echo.run", AGENT_A, "{\"input\": 1, \"callback_url\": \"ftp://x\"}", Map.of()));
        assertError(400, "BAD_REQUEST", post(first, "echo.run", AGENT_A, "{\"input\": 1}", Map.of("Idempotency-Key", "k".repeat(201))));
        assertError(404, "NOT_FOUND", post(first, "nope.run", AGENT_A, "{\"input\": 1}", Map.of()));
        assertError(404, "NOT_FOUND", post(first, "http_fetch.put", AGENT_A, "{\"input\": 1}", Map.of()));
        assertError(404, "NOT_FOUND", post(first, "NOT_A_NAME", AGENT_A, "{\"input\": 1}", Map.of()));
        assertError(401, "UNAUTHORIZED", post(first, "echo.run", null, "{\"input\": 1}", Map.of()));
        assertError(401, "UNAUTHORIZED", post(first, "echo.run", "Bearer forged", "{\"input\": 1}", Map.of()));
        Response noTool = post(first, "sleep.run", "Bearer echo-only", "{\"input\": {\"ms\": 1}}", Map.of());
        assertError(403, "FORBIDDEN", noTool);
        assertTrue(json(noTool).get("error").get("message").asText().contains("tool 'sleep'"));
        Response noAction = post(first, "http_fetch.get", "Bearer runs-only", "{\"input\": {}}", Map.of());
        assertError(403, "FORBIDDEN", noAction);
        assertTrue(json(noAction).get("error").get("message").asText().contains("action 'get'"));

        assertError(404, "NOT_FOUND", get(second, IDS.random("agt_a"), AGENT_A, ""));
        assertError(404, "NOT_FOUND", get(second, "not-an-id", AGENT_A, ""));
        assertError(400, "BAD_REQUEST", get(second, IDS.random("agt_a"), AGENT_A, "?wait=soon"));
    }

    @Test
    void shouldCancelAQueuedTaskButNotOneThatEnded() throws Exception {
        TaskMessage queued = accepted(second, AGENT_A, "agt_a", UUID.randomUUID().toString());
        viewUntil(first, queued.taskId(), AGENT_A, "queued");

        assertError(404, "NOT_FOUND", send(first, "DELETE", "/__runner/tasks/" + queued.taskId(), AGENT_B, null, null, Map.of()));
        Response cancelled = send(first, "DELETE", "/__runner/tasks/" + queued.taskId(), AGENT_A, null, null, Map.of());

        assertEquals(200, cancelled.statusCode(), cancelled.body());
        assertEquals("cancelled", json(cancelled).get("status").asText());
        ConsumerRecord<byte[], byte[]> cancellation = find(topics.cancellations(), c -> c.taskId().equals(queued.taskId()));
        assertEquals(queued.taskId(), new String(cancellation.key(), StandardCharsets.UTF_8));
        assertEquals("cancelled", viewUntil(second, queued.taskId(), AGENT_A, "cancelled").get("status").asText());

        TaskMessage ended = accepted(first, AGENT_A, "agt_a", UUID.randomUUID().toString());
        publish(TaskEvent.succeeded(ended, 1, JsonNodeFactory.instance.nullNode(), Instant.now()));
        viewUntil(second, ended.taskId(), AGENT_A, "succeeded");
        for (Instance instance : List.of(first, second)) {
            assertError(409, "CONFLICT", send(instance, "DELETE", "/__runner/tasks/" + ended.taskId(), AGENT_A, null, null, Map.of()));
        }
    }

    @Test
    void shouldLetAnyoneFollowATaskPostedAnonymouslyToAPublicTask() throws Exception {
        Response posted = post(second, "public.ping", null, "{\"input\": {}}", Map.of());

        assertEquals(202, posted.statusCode(), posted.body());
        String taskId = json(posted).get("task_id").asText();
        assertEquals("queued", viewUntil(first, taskId, null, "queued").get("status").asText());
    }

    @Test
    void shouldRefuseAHeldGetWithoutATokenAtOnce() throws Exception {
        for (String id : List.of(IDS.random("agt_a"), accepted(first, AGENT_A, "agt_a", UUID.randomUUID().toString()).taskId())) {
            Instant asked = Instant.now();
            Response answer = get(first, id, null, "?wait=10");

            assertError(401, "UNAUTHORIZED", answer);
            assertTrue(Duration.between(asked, Instant.now()).compareTo(Duration.ofSeconds(3)) < 0, "answered before the wait");
        }
    }

    @Test
    void shouldAnswerUnknownAndForeignIdsAlikeAtOnce() throws Exception {
        String foreign = accepted(first, AGENT_A, "agt_a", UUID.randomUUID().toString()).taskId();
        viewUntil(second, foreign, AGENT_A, "queued");
        for (String id : List.of(foreign, IDS.random("agt_a"), IDS.random("agt_b").substring(0, 20) + "0000000000")) {
            for (Instance instance : List.of(first, second)) {
                Instant asked = Instant.now();
                Response answer = get(instance, id, AGENT_B, "?wait=10");

                assertError(404, "NOT_FOUND", answer);
                assertEquals("no such task", json(answer).get("error").get("message").asText());
                assertTrue(Duration.between(asked, Instant.now()).compareTo(Duration.ofSeconds(3)) < 0, "answered before the wait");
            }
        }
    }

    @Test
    void shouldGiveAnonymousCallersTasksNobodyElseCanDeriveOrReach() throws Exception {
        String key = "anon-" + UUID.randomUUID();
        RawHttp.Answer mine = anonymousPost(InetAddress.getByName("127.0.0.2"), key);
        RawHttp.Answer again = anonymousPost(InetAddress.getByName("127.0.0.2"), key);
        RawHttp.Answer someoneElse = anonymousPost(InetAddress.getByName("127.0.0.3"), key);

        assertEquals(202, mine.status(), mine.body());
        String taskId = mine.json().get("task_id").asText();
        assertEquals(202, again.status(), again.body());
        assertEquals(taskId, again.json().get("task_id").asText(), "the same caller's retry is the same task");
        assertNotEquals(taskId, someoneElse.json().get("task_id").asText(), "another client's key names another task");
        assertFalse(IDS.forIdempotencyKey(Caller.ANONYMOUS, Caller.ANONYMOUS, key).equals(taskId));
        assertEquals("queued", viewUntil(first, taskId, null, "queued").get("status").asText(), "its id is its capability");
    }

    @Test
    void shouldRefuseAnIdempotencyKeyReusedWithAnotherBody() {
        String key = "order-" + UUID.randomUUID();
        Response once = post(first, "echo.run", AGENT_A, "{\"input\": {\"amount\": 10}}", Map.of("Idempotency-Key", key));
        viewUntil(second, json(once).get("task_id").asText(), AGENT_A, "queued");

        for (Instance instance : List.of(first, second)) {
            Response sameBody = post(instance, "echo.run", AGENT_A, "{ \"input\" : {\"amount\": 10} }", Map.of("Idempotency-Key", key));
            Response otherBody = post(instance, "echo.run", AGENT_A, "{\"input\": {\"amount\": 99}}", Map.of("Idempotency-Key", key));

            assertEquals(202, sameBody.statusCode(), sameBody.body());
            assertEquals(json(once).get("task_id"), json(sameBody).get("task_id"));
            assertError(422, "UNPROCESSABLE", otherBody);
        }
    }

    @Test
    void shouldNotCallABodyCutShortTooLarge() throws Exception {
        String request = "POST /__runner/task/echo.run HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + AGENT_A
                + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"input\": ";

        RawHttp.Answer answer = RawHttp.send(first.port, InetAddress.getLoopbackAddress(), request.getBytes(StandardCharsets.UTF_8),
                DEADLINE, true);

        assertNotEquals(413, answer.status(), answer.body());
        assertTrue(answer.status() == 400 || answer.status() == -1, "400 or closed, got " + answer.status());
    }

    @Test
    void shouldPassTheInputsNumbersOnExactly() {
        Response posted = post(first, "echo.run", AGENT_A, "{\"input\": {\"huge\": 1e400, \"scaled\": 1.50, \"billion\": 1e9}}",
                Map.of());

        assertEquals(202, posted.statusCode(), posted.body());
        String taskId = json(posted).get("task_id").asText();
        ConsumerRecord<byte[], byte[]> requested = find(topics.requested(), task -> task.taskId().equals(taskId));
        TaskMessage task = topics.requested().valueSerde().deserializer().deserialize("", requested.value());
        assertEquals("{\"huge\":1E+400,\"scaled\":1.50,\"billion\":1E+9}", task.input().toString());
    }

    // --- helpers

    private static RawHttp.Answer anonymousPost(InetAddress from, String key) throws IOException {
        String body = "{\"input\": {}}";
        String request = "POST /__runner/task/public.ping HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Idempotency-Key: " + key + "\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body;
        return RawHttp.send(second.port, from, request.getBytes(StandardCharsets.UTF_8), DEADLINE, false);
    }

    /** Publishes a task, waits for its 202, and gives the task as a worker would see it. */
    private static TaskMessage accepted(Instance instance, String token, String agentId, String key) throws Exception {
        Response posted = post(instance, "echo.run", token, "{\"input\": {\"n\": 1}}", Map.of("Idempotency-Key", key));
        assertEquals(202, posted.statusCode(), posted.body());
        String taskId = json(posted).get("task_id").asText();
        assertEquals(IDS.forIdempotencyKey(agentId, agentId, key), taskId);
        return worker(taskId);
    }

    private static TaskMessage worker(String taskId) {
        return new TaskMessage(taskId, "echo.run", "agt_a", "agent-a", JsonNodeFactory.instance.objectNode().put("n", 1), null,
                "req_worker", null, "127.0.0.1", Instant.now(), "default");
    }

    private static void publish(TaskEvent event) throws Exception {
        sender.send(topics.taskEvents(), event.taskId(), event).get();
    }

    private static int waiters() {
        return first.waiters() + second.waiters();
    }

    /** The task's view once it shows {@code status}, retrying while the view catches up or instances rebalance. */
    private static JsonNode viewUntil(Instance instance, String taskId, String token, String status) {
        return Await.value("task " + taskId + " to show " + status, () -> get(instance, taskId, token, ""),
                response -> response.statusCode() == 200 && status.equals(response.json().path("status").asText()), DEADLINE).json();
    }

    private static <T> ConsumerRecord<byte[], byte[]> find(TopicSpec<String, T> topic, Predicate<T> matches) {
        try (Consumer<byte[], byte[]> consumer = clients.newConsumer("it-reader-" + UUID.randomUUID(), null)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < topic.partitions(); p++) {
                partitions.add(new TopicPartition(topic.name(), p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
            Await.until("a record on " + topic.name() + " that matches", () -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (matches.test(topic.valueSerde().deserializer().deserialize(topic.name(), record.value()))) {
                        found.add(record);
                    }
                }
                return !found.isEmpty();
            }, DEADLINE);
            return found.get(0);
        }
    }

    private static void assertError(int status, String codeName, Response response) {
        response.assertError(status, codeName);
    }

    private static Response post(Instance instance, String name, String token, String body, Map<String, String> headers) {
        return instance.http.send("POST", "/__runner/task/" + name, "application/json", body, headers(token, headers));
    }

    private static CompletableFuture<Response> postAsync(Instance instance, String name, String token, String body,
                                                         Map<String, String> headers) {
        return instance.http.sendAsync("POST", "/__runner/task/" + name, "application/json", body, headers(token, headers));
    }

    private static Response get(Instance instance, String taskId, String token, String query) {
        return instance.http.get("/__runner/tasks/" + taskId + query, headers(token, Map.of()));
    }

    private static CompletableFuture<Response> getAsync(Instance instance, String taskId, String token, String query) {
        return instance.http.sendAsync("GET", "/__runner/tasks/" + taskId + query, null, null, headers(token, Map.of()));
    }

    private static Response send(Instance instance, String method, String path, String token, String contentType,
                                 String body, Map<String, String> headers) {
        return instance.http.send(method, path, contentType, body, headers(token, headers));
    }

    /** {@code authorization} is the whole header value, so tests can send malformed ones. */
    private static String[] headers(String authorization, Map<String, String> headers) {
        List<String> all = new ArrayList<>();
        if (authorization != null) {
            all.add("Authorization");
            all.add(authorization);
        }
        headers.forEach((name, value) -> {
            all.add(name);
            all.add(value);
        });
        return all.toArray(String[]::new);
    }

    private static JsonNode json(Response response) {
        return response.json();
    }

    /** One ingress instance serving only the task API, on its own port, state dir and metrics. */
    private static final class Instance implements AutoCloseable {
        private final Undertow server;
        private final TaskApi api;
        private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        private final AtomicInteger forwarded = new AtomicInteger();
        private final HttpDriver http;
        private final int port;

        Instance(Path stateDir) {
            // The task API needs the port it is advertised on, known only once the server listens.
            AtomicReference<HttpHandler> routes = new AtomicReference<>(exchange -> exchange.setStatusCode(StatusCodes.SERVICE_UNAVAILABLE));
            HttpHandler counting = exchange -> {
                if (exchange.getRequestHeaders().contains(OwnerForwarder.FORWARDED_BY)) {
                    forwarded.incrementAndGet();
                }
                routes.get().handleRequest(exchange);
            };
            server = Undertow.builder().addHttpListener(0, "127.0.0.1")
                    .setHandler(new RequestIds(new ErrorMappingHandler(counting))).build();
            server.start();
            port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
            http = new HttpDriver(port);
            IngressConfig config = new IngressConfig(clients.settings(), "127.0.0.1", port, URI.create("http://127.0.0.1:" + port),
                    "admin-token-0123456789",
                    HMAC_SECRET, "k1", "taskgate", MAX_BODY_BYTES,
                    stateDir, URI.create("http://127.0.0.1:1"), Duration.ofDays(7), null, EdgeSettings.defaults(), false, false);
            AuditLog audit = new AuditLog(sender, topics, "ingress", Executors.newSingleThreadScheduledExecutor(), Clock.systemUTC(), metrics);
            api = new TaskApi(config, clients, sender, AUTHENTICATOR, () -> POLICY, ToolCatalog.builtIn(), audit, metrics,
                    Clock.systemUTC(), () -> true);
            RoutingHandler routing = new RoutingHandler();
            api.addRoutes(routing);
            routes.set(routing);
            api.start();
        }

        int waiters() {
            return (int) metrics.get("taskgate_ingress_task_waiters").gauge().value();
        }

        @Override
        public void close() {
            api.close();
            server.stop();
        }
    }
}
