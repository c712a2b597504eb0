package io.taskgate.launcher.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskgate.ingress.IngressConfig;
import io.taskgate.ingress.IngressService;
import io.taskgate.launcher.run.Readiness;
import io.taskgate.launcher.run.Running;
import io.taskgate.launcher.run.Services;
import io.taskgate.launcher.Taskgate;
import io.taskgate.launcher.webhooks.WebhookReceiver.Answer;
import io.taskgate.launcher.webhooks.WebhookReceiver.Received;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.kafka.TopicPartitions;
import io.taskgate.platform.ops.Metrics;
import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.schemas.audit.AuditEvent;
import io.taskgate.schemas.json.Json;
import io.taskgate.schemas.topics.Topics;
import io.taskgate.testing.Await;
import io.taskgate.testing.HttpDriver;
import io.taskgate.testing.HttpDriver.Response;
import io.taskgate.testing.TestKafka;
import io.taskgate.testing.WithKafka;
import io.taskgate.webhooks.WebhookConfig;
import io.taskgate.webhooks.WebhookService;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks end to end over the real broker: ingress, policy-stream, a worker and the webhook
 * deliverer, a receiver over real HTTP that verifies every signature with the Standard Webhooks
 * library, and a retry schedule of one-second delays.
 */
@WithKafka
class WebhookDeliveryIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String ADMIN = "admin-token-0123456789";

    @TempDir
    static Path dataDir;

    static ConfigSource config;
    static Running running;
    static PrometheusMeterRegistry metrics;
    static KafkaClients clients;
    static Topics topics;
    static TestKafka isolated;
    static volatile WebhookService webhooks;
    static WebhookReceiver receiver;
    static HttpDriver http;
    static int ingressPort;
    static String agentId;
    static String secret;
    static String token;

    @BeforeAll
    static void start(TestKafka kafka) throws Exception {
        Map<Setting, String> settings = new EnumMap<>(Setting.class);
        settings.put(Setting.KAFKA_BOOTSTRAP, kafka.bootstrapServers());
        settings.put(Setting.TOPIC_PREFIX, kafka.topics().prefix());
        settings.put(Setting.DATA_DIR, dataDir.toString());
        settings.put(Setting.PORT, "0");
        settings.put(Setting.ADMIN_TOKEN, ADMIN);
        settings.put(Setting.TOKEN_HMAC_SECRET, "0123456789abcdef0123456789abcdef");
        settings.put(Setting.HTTP_FETCH_ALLOW_PRIVATE, "true");
        settings.put(Setting.WEBHOOK_ALLOW_HTTP, "true");
        settings.put(Setting.WEBHOOK_RETRY_SCHEDULE, "1s,1s,1s");
        settings.put(Setting.WEBHOOK_TIMEOUT_MS, "1500");
        // Fewer threads than the hanging receiver below has webhooks: without per-host limits its
        // attempts would take every thread and queue the live receiver's behind them.
        settings.put(Setting.WEBHOOK_CONCURRENCY, "16");
        settings.put(Setting.WEBHOOK_HOST_CONCURRENCY, "4");
        config = ConfigSource.of(settings);
        clients = kafka.clients();
        topics = kafka.topics();
        isolated = kafka.fresh();
        metrics = Metrics.newRegistry("test");
        running = new Running();
        Services services = new Services(config, metrics, Clock.systemUTC(), running);
        services.policy();
        services.worker();
        IngressService ingress = services.ingress();
        webhooks = WebhookService.start(WebhookConfig.from(config), clients, metrics, Clock.systemUTC());
        Readiness.await(running, DEADLINE);
        Await.until("webhook deliverer ready", () -> webhooks.isReady(), DEADLINE);
        receiver = new WebhookReceiver();
        ingressPort = ingress.port();
        http = new HttpDriver(ingressPort);
        JsonNode agent = http.postJson("/api/agents", "{\"name\": \"hook-bot\", \"tools\": [\"echo\"], \"actions\": [\"*\"]}",
                HttpDriver.bearer(ADMIN)).json();
        agentId = agent.get("id").asText();
        secret = agent.get("webhook_secret").asText();
        receiver.trust(List.of(secret));
        token = http.mintToken(ADMIN, agentId, "{\"tools\": [\"echo\"], \"actions\": [\"*\"], \"expires_in\": 3600}");
    }

    @AfterAll
    static void stop() throws Exception {
        if (webhooks != null) {
            webhooks.close();
        }
        if (running != null) {
            running.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void shouldDeliverOneSignedWebhookWhenTheTaskEndsAndAuditIt() throws Exception {
        String url = receiver.script("/first");
        String taskId = postTask(url, "{\"msg\": \"hello\"}");

        Received delivered = Await.value("the webhook", () -> receiver.at("/first"), list -> !list.isEmpty(), DEADLINE).get(0);
        assertTrue(delivered.verified(), "the signature verifies with the agent's secret");
        JsonNode body = Json.mapper().readTree(delivered.body());
        assertEquals("task.succeeded", body.path("type").asText());
        assertEquals(taskId, body.path("data").path("task_id").asText());
        assertEquals("hello", body.path("data").path("result").path("msg").asText());
        assertTrue(delivered.webhookId().startsWith("msg_"), delivered.webhookId());

        JsonNode deliveries = awaitDeliveries(taskId, 1);
        assertEquals(1, deliveries.get(0).path("attempt").asInt());
        assertEquals(200, deliveries.get(0).path("status_code").asInt());
        assertFalse(deliveries.get(0).has("next_at"), deliveries::toString);

        AuditEvent audited = awaitAudit(taskId, 1).get(0);
        assertEquals("delivered", audited.outcome());
        assertEquals(200, ((Number) audited.details().get("status_code")).intValue());
        assertEquals(1, ((Number) audited.details().get("attempt")).intValue());
        assertTrue(audited.details().containsKey("duration_ms"), audited.details()::toString);
        assertTrue(metrics.scrape().contains("taskgate_webhook_attempts_total{"), "attempts are counted");
        assertTrue(metrics.scrape().contains("taskgate_webhook_first_attempt_delay_seconds_bucket"), "first-attempt delay histogram");
    }

    @Test
    void shouldRetryWithOneWebhookIdUntilTheReceiverAnswers2xx() throws Exception {
        String url = receiver.script("/flaky", Answer.FAIL_500, Answer.FAIL_500);
        String taskId = postTask(url, "{}");

        List<Received> attempts = Await.value("three attempts", () -> receiver.at("/flaky"), list -> list.size() >= 3, DEADLINE);
        assertEquals(1, attempts.stream().map(Received::webhookId).distinct().count(), "one webhook-id on every retry");
        assertTrue(attempts.stream().allMatch(Received::verified));
        JsonNode deliveries = awaitDeliveries(taskId, 3);
        assertEquals(500, deliveries.get(0).path("status_code").asInt());
        assertTrue(deliveries.get(0).has("next_at"));
        assertTrue(deliveries.get(1).has("next_at"));
        assertEquals(200, deliveries.get(2).path("status_code").asInt());
        assertFalse(deliveries.get(2).has("next_at"));
        assertEquals(3, receiver.at("/flaky").size(), "no attempt after the 2xx");
    }

    @Test
    void shouldStopRetryingWhenTheReceiverAnswersGone() throws Exception {
        String goneUrl = receiver.script("/gone", Answer.GONE);
        String gone = postTask(goneUrl, "{}");
        JsonNode deliveries = awaitDeliveries(gone, 1);
        assertEquals(410, deliveries.get(0).path("status_code").asInt());
        assertFalse(deliveries.get(0).has("next_at"), "no retry is scheduled after 410");

        // A task sent at the same time through a full round of retries outlasts any retry of the first.
        String flaky = postTask(receiver.script("/after-gone", Answer.FAIL_500, Answer.FAIL_500), "{}");
        awaitDeliveries(flaky, 3);
        assertEquals(1, receiver.at("/gone").size());
    }

    @Test
    void shouldDeliverTheRetryAfterTheDelivererIsStoppedBetweenAttempts() throws Exception {
        String url = receiver.script("/restart", Answer.FAIL_500);
        String taskId = postTask(url, "{}");
        Await.until("the first attempt", () -> receiver.at("/restart").size() == 1, DEADLINE);
        awaitDeliveries(taskId, 1);
        webhooks.close();
        assertEquals(1, receiver.at("/restart").size(), "the retry was not made before the deliverer stopped");
        String endedWhileDown = postTask(receiver.script("/while-down"), "{}");
        Await.value("the task to end while no deliverer runs", () -> http.getTask(token, endedWhileDown, "").json(),
                view -> "succeeded".equals(view.path("status").asText()), DEADLINE);
        assertTrue(receiver.at("/while-down").isEmpty());

        webhooks = WebhookService.start(WebhookConfig.from(config), clients, metrics, Clock.systemUTC());
        List<Received> attempts = Await.value("the retry after restart", () -> receiver.at("/restart"), list -> list.size() >= 2,
                DEADLINE);
        assertEquals(attempts.get(0).webhookId(), attempts.get(1).webhookId());
        JsonNode deliveries = awaitDeliveries(taskId, 2);
        assertEquals(200, deliveries.get(1).path("status_code").asInt());
        Await.until("the webhook of the task that ended while the deliverer was down",
                () -> !receiver.at("/while-down").isEmpty(), DEADLINE);
    }

    @Test
    void shouldFailTheAttemptWithItsReasonAndGoOnWhenTheReceiverMisbehaves() throws Exception {
        Map<String, String> expected = Map.of(
                postTask(receiver.script("/hang", Answer.HANG), "{}"), "no answer within 1500 ms",
                postTask(receiver.script("/redirect", Answer.REDIRECT), "{}"), "redirects are not followed",
                postTask(receiver.script("/huge", Answer.HUGE), "{}"), "body over 65536 bytes",
                postTask(receiver.garbageUrl(), "{}"), "not a valid HTTP answer");
        for (Map.Entry<String, String> task : expected.entrySet()) {
            JsonNode deliveries = awaitDeliveries(task.getKey(), 2);
            assertTrue(deliveries.get(0).path("error").asText().contains(task.getValue()), deliveries::toString);
            assertTrue(deliveries.get(0).has("next_at"), "the schedule goes on: " + deliveries);
            assertEquals(200, deliveries.get(1).path("status_code").asInt(), deliveries::toString);
        }
    }

    @Test
    void shouldKeepDeliveringToOtherReceiversWhileOneHangs() throws Exception {
        int hanging = 40;
        try (WebhookReceiver dead = new WebhookReceiver()) {
            Answer[] hangs = new Answer[hanging];
            Arrays.fill(hangs, Answer.HANG);
            String deadUrl = dead.script("/dead", hangs);
            for (int i = 0; i < hanging; i++) {
                postTask(deadUrl, "{}");
            }
            Await.until("the dead receiver is being called", () -> !dead.at("/dead").isEmpty(), DEADLINE);

            String taskId = postTask(receiver.script("/alive"), "{}");
            Await.until("the live receiver's webhook", () -> !receiver.at("/alive").isEmpty(), DEADLINE);
            int deadSoFar = dead.at("/dead").size();
            assertTrue(deadSoFar < hanging, "delivered while the dead receiver's backlog was still waiting (" + deadSoFar + " of "
                    + hanging + " attempted)");
            assertEquals(200, awaitDeliveries(taskId, 1).get(0).path("status_code").asInt());
        }
    }

    /** On topics of its own, so this second ingress never joins the status view of the first. */
    @Test
    void shouldRefuseCallbackUrlsToLoopbackOrMetadataAddressesAtSubmission() {
        ConfigSource strict = config.with(Map.of(Setting.HTTP_FETCH_ALLOW_PRIVATE, "false", Setting.WEBHOOK_ALLOW_HTTP, "false",
                Setting.TOPIC_PREFIX, isolated.topics().prefix()));
        try (IngressService ingress = IngressService.start(IngressConfig.from(strict).withPort(0, dataDir.resolve("strict")),
                isolated.clients(), Metrics.newRegistry("test"), Clock.systemUTC())) {
            HttpDriver strictHttp = new HttpDriver(ingress.port());
            String agent = strictHttp.createAgent(ADMIN, "{\"name\": \"strict-bot\", \"tools\": [\"echo\"], \"actions\": [\"*\"]}");
            String strictToken = strictHttp.mintToken(ADMIN, agent, "{\"tools\": [\"echo\"], \"actions\": [\"*\"]}");
            for (String url : List.of("https://127.0.0.1/hook", "https://169.254.169.254/latest/meta-data", "https://[::1]/x",
                    "https://10.1.2.3/internal", "http://hooks.example.com/plain-http", "https://example.com/" + "a".repeat(2100))) {
                JsonNode error = strictHttp.postTask(strictToken, "echo.run", "{\"input\": 1, \"callback_url\": \"" + url + "\"}")
                        .assertError(400, "BAD_REQUEST");
                assertTrue(error.path("message").asText().contains("callback_url"), error::toString);
            }
        }
    }

    @Test
    void shouldSignWithBothSecretsAfterARotationAndRedeliverOnRequest() throws Exception {
        JsonNode rotated = http.postJson("/api/agents/" + agentId + "/webhook-secret", "{}", HttpDriver.bearer(ADMIN)).json();
        String newSecret = rotated.get("webhook_secret").asText();
        assertTrue(newSecret.startsWith("whsec_") && !newSecret.equals(secret));
        receiver.trust(List.of(newSecret, secret));
        String taskId = postTask(receiver.script("/rotated"), "{}");

        Received first = Await.value("the webhook", () -> receiver.at("/rotated"), list -> !list.isEmpty(), DEADLINE).get(0);
        assertEquals(Set.of(newSecret, secret), Set.copyOf(first.verifiedWith()), "either secret verifies during the overlap");
        assertEquals(2, first.signature().split(" ").length, first.signature());

        assertEquals(0, Taskgate.commandLine(Map.of(Setting.ADMIN_TOKEN.envName(), ADMIN, Setting.URL.envName(), httpBase()))
                .execute("tasks", "redeliver", taskId));
        List<Received> both = Await.value("the redelivery", () -> receiver.at("/rotated"), list -> list.size() >= 2, DEADLINE);
        assertEquals(first.webhookId(), both.get(1).webhookId());
        assertEquals(2, awaitDeliveries(taskId, 2).get(1).path("attempt").asInt());
        http.postJson("/api/tasks/tsk_" + UUID.randomUUID().toString().replace("-", "") + "/redeliver", "{}",
                HttpDriver.bearer(ADMIN)).assertError(404, "NOT_FOUND");
    }

    private static String httpBase() {
        return "http://127.0.0.1:" + ingressPort;
    }

    private static String postTask(String callbackUrl, String input) {
        Response accepted = http.postTask(token, "echo.run", "{\"input\": " + input + ", \"callback_url\": \"" + callbackUrl + "\"}");
        assertEquals(202, accepted.statusCode(), accepted::toString);
        return accepted.json().get("task_id").asText();
    }

    private static JsonNode awaitDeliveries(String taskId, int count) {
        return Await.value(count + " deliveries of " + taskId, () -> http.getTask(token, taskId, "").json().path("deliveries"),
                deliveries -> deliveries.size() >= count, DEADLINE);
    }

    private static List<AuditEvent> awaitAudit(String taskId, int count) {
        List<AuditEvent> found = new ArrayList<>();
        try (Consumer<byte[], byte[]> consumer = clients.newConsumer("it-audit-reader", null)) {
            TopicPartitions.assignFromStart(consumer, topics.audit().name(), DEADLINE);
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (found.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    AuditEvent event = topics.audit().valueSerde().deserializer().deserialize(record.topic(), record.value());
                    if (event.action() == AuditAction.WEBHOOK_ATTEMPT && taskId.equals(event.taskId())) {
                        found.add(event);
                    }
                });
            }
        }
        return found;
    }
}
