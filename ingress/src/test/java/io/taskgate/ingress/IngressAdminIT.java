package io.taskgate.ingress;

import static io.taskgate.testing.HttpDriver.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskgate.ingress.auth.AdminAuth;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.kafka.CompactedTopicView;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.kafka.KafkaSender;
import io.taskgate.platform.ops.Metrics;
import io.taskgate.schemas.policy.PolicyRecord;
import io.taskgate.schemas.topics.Topics;
import io.taskgate.testing.Await;
import io.taskgate.testing.HttpDriver;
import io.taskgate.testing.HttpDriver.Response;
import io.taskgate.testing.TestKafka;
import io.taskgate.testing.WithKafka;
import io.undertow.server.RoutingHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin API, policy, edge protections and operations of one ingress instance over a real broker. */
@WithKafka
class IngressAdminIT {
    private static final String ADMIN_TOKEN = "it-admin-token-" + UUID.randomUUID();
    private static final String[] ADMIN = {"Authorization", "Bearer " + ADMIN_TOKEN};
    private static final Duration DEADLINE = Duration.ofSeconds(15);

    private static TestKafka kafka;
    private static Path stateDir;
    private static IngressService ingress;
    private static HttpDriver http;

    @BeforeAll
    static void start(TestKafka classKafka) throws Exception {
        kafka = classKafka;
        stateDir = Files.createTempDirectory("ingress-it");
        ingress = startIngress(kafka);
        http = new HttpDriver(ingress.port());
    }

    @AfterAll
    static void stop() {
        if (ingress != null) {
            ingress.close();
        }
    }

    @Test
    void shouldCreateAnAgentAndNeverShowItsSecretsAgain() throws Exception {
        Response created = createAgent("creator-" + suffix(), "[\"serpapi\"]", "[\"search\"]");

        assertEquals(201, created.statusCode(), created.body());
        JsonNode agent = json(created);
        String id = agent.get("id").asText();
        assertTrue(id.startsWith("agt_"), id);
        String privateKey = agent.get("private_key").asText();
        assertTrue(privateKey.startsWith("-----BEGIN PRIVATE KEY-----"), privateKey);
        KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(
                privateKey.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", ""))));
        String secret = agent.get("webhook_secret").asText();
        assertTrue(secret.startsWith("whsec_"), secret);

        Response shown = http.get("/api/agents/" + id, ADMIN);
        assertEquals(200, shown.statusCode(), shown.body());
        assertEquals(id, json(shown).get("id").asText());
        assertFalse(shown.body().contains(secret));
        assertFalse(shown.body().contains("PRIVATE KEY"));
        assertFalse(shown.body().contains("PUBLIC KEY"));

        Response listed = http.get("/api/agents", ADMIN);
        assertEquals(200, listed.statusCode());
        assertTrue(listed.body().contains(id));
        assertFalse(listed.body().contains("whsec_"));
    }

    @Test
    void shouldRefuseASecondEnabledAgentOfTheSameName() {
        String name = "twin-" + suffix();
        assertEquals(201, createAgent(name, "[\"*\"]", "[\"*\"]").statusCode());

        Response second = createAgent(name, "[\"*\"]", "[\"*\"]");

        assertEquals(409, second.statusCode(), second.body());
        assertEquals("CONFLICT", json(second).at("/error/codeName").asText());
    }

    @Test
    void shouldRefuseAnInvalidAgentNamingTheField() {
        Response response = createAgent("spaces are not allowed", "[\"*\"]", "[\"*\"]");

        assertEquals(400, response.statusCode());
        assertTrue(json(response).at("/error/message").asText().startsWith("name"), response.body());
    }

    @Test
    void shouldRefuseTheAdminApiWithoutTheAdminToken() {
        Response none = http.postJson("/api/agents", "{\"name\":\"x\",\"tools\":[],\"actions\":[]}");
        Response wrong = http.get("/api/agents", "Authorization", "Bearer " + ADMIN_TOKEN + "-not");

        assertEquals(401, none.statusCode());
        assertEquals("UNAUTHORIZED", json(none).at("/error/codeName").asText());
        assertEquals(401, wrong.statusCode());
    }

    @Test
    void shouldIssueTokensNoWiderThanTheAgent() {
        String id = json(createAgent("minter-" + suffix(), "[\"serpapi\", \"http_fetch\"]", "[\"search\", \"get\"]")).get("id").asText();

        Response issued = http.postJson("/api/agents/" + id + "/tokens", "{\"tools\": [\"serpapi\"]}", ADMIN);
        assertEquals(201, issued.statusCode(), issued.body());
        JsonNode token = json(issued);
        assertEquals("Bearer", token.get("token_type").asText());
        assertEquals(3600, token.get("expires_in").asLong());
        assertEquals("[\"serpapi\"]", token.get("tools").toString());
        assertEquals("[\"search\",\"get\"]", token.get("actions").toString());

        Response withoutAdmin = http.postJson("/api/agents/" + id + "/tokens", "{}");
        assertEquals(401, withoutAdmin.statusCode());

        Response wider = http.postJson("/api/agents/" + id + "/tokens", "{\"tools\": [\"serpapi\", \"email\"]}", ADMIN);
        assertEquals(403, wider.statusCode(), wider.body());
        assertTrue(json(wider).at("/error/message").asText().contains("email"), wider.body());

        Response tooLong = http.postJson("/api/agents/" + id + "/tokens", "{\"expires_in\": 90000}", ADMIN);
        assertEquals(400, tooLong.statusCode());

        Response noBody = http.send("POST", "/api/agents/" + id + "/tokens", null, null, ADMIN);
        assertEquals(201, noBody.statusCode(), noBody.body());
    }

    @Test
    void shouldValidateTokensAndRefuseForgedOnes() {
        String id = json(createAgent("validated-" + suffix(), "[\"*\"]", "[\"run\"]")).get("id").asText();
        String token = json(http.postJson("/api/agents/" + id + "/tokens", "{\"expires_in\": 600}", ADMIN)).get("token").asText();

        Response valid = http.send("POST", "/api/validate", null, null, "Authorization", "Bearer " + token);
        assertEquals(200, valid.statusCode(), valid.body());
        JsonNode body = json(valid);
        assertTrue(body.get("valid").asBoolean());
        assertEquals(id, body.get("agent_id").asText());
        assertEquals("[\"run\"]", body.get("actions").toString());
        assertTrue(body.hasNonNull("expires_at"));

        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA" + token.substring(token.lastIndexOf('.') + 5);
        Response refused = http.send("POST", "/api/validate", null, null, "Authorization", "Bearer " + forged);
        assertEquals(401, refused.statusCode());
        assertEquals("UNAUTHORIZED", json(refused).at("/error/codeName").asText());

        Response anonymous = http.send("POST", "/api/validate", null, null);
        assertEquals(401, anonymous.statusCode());
    }

    @Test
    void shouldStopHonouringTheTokensOfADisabledAgent() {
        String id = json(createAgent("retired-" + suffix(), "[\"*\"]", "[\"*\"]")).get("id").asText();
        String token = json(http.postJson("/api/agents/" + id + "/tokens", "{}", ADMIN)).get("token").asText();
        assertEquals(200, validate(token));

        Response disabled = http.send("DELETE", "/api/agents/" + id, null, null, ADMIN);
        assertEquals(200, disabled.statusCode(), disabled.body());
        assertTrue(json(disabled).get("disabled").asBoolean());

        Await.until("the disabled agent's token to be refused", () -> validate(token) == 401, DEADLINE);
        Response noNewTokens = http.postJson("/api/agents/" + id + "/tokens", "{}", ADMIN);
        assertEquals(409, noNewTokens.statusCode());
    }

    @Test
    void shouldRefuseAnInvalidPolicyNamingTheFieldAndLine() {
        String document = """
                version: 1
                defaults:
                  rate_limit: lots
                """;

        Response response = http.send("PUT", "/api/policy", "application/yaml", document, ADMIN);

        assertEquals(400, response.statusCode(), response.body());
        String message = json(response).at("/error/message").asText();
        assertTrue(message.contains("defaults.rate_limit"), message);
        assertTrue(message.contains("line 3"), message);
    }

    @Test
    void shouldRefuseAnAllowlistEntryTheEdgeCannotApplyAndStayReachable() {
        String document = """
                version: 1
                ingress:
                  ip_allowlist: ["::ffff:10.0.0.1/24", 127.0.0.1]
                """;

        Response response = http.send("PUT", "/api/policy", "application/yaml", document, ADMIN);

        assertEquals(400, response.statusCode(), response.body());
        String message = json(response).at("/error/message").asText();
        assertTrue(message.contains("ingress.ip_allowlist[0]"), message);
        assertEquals(200, http.get("/api/policy", ADMIN).statusCode(), "the admin must not be locked out");
    }

    @Test
    void shouldServeThePolicyItWasGiven() {
        String document = """
                version: 1
                # a comment, which GET returns as written
                defaults:
                  rate_limit: 1000/minute
                tasks:
                  echo.*:
                    rate_limit: 50/second
                """;

        Response put = http.send("PUT", "/api/policy", "application/yaml; charset=utf-8", document, ADMIN);
        assertEquals(200, put.statusCode(), put.body());
        assertTrue(json(put).get("ok").asBoolean());

        Response got = http.get("/api/policy", ADMIN);
        assertEquals(200, got.statusCode());
        assertEquals(document, got.body());
        assertTrue(got.headers().firstValue("Content-Type").orElse("").startsWith("application/yaml"));

        Response plain = http.send("PUT", "/api/policy", "text/plain", document, ADMIN);
        assertEquals(415, plain.statusCode());
        assertEquals(401, http.get("/api/policy").statusCode());
    }

    @Test
    void shouldReportHealthMetricsAndStats() {
        Response health = http.get("/health");
        assertEquals(200, health.statusCode(), health.body());
        assertEquals("healthy", json(health).get("status").asText());
        assertEquals("up", json(health).get("kafka").asText());
        assertEquals(200, http.get("/api/health").statusCode());
        assertTrue(ingress.isReady());

        assertEquals(401, http.get("/api/policy").statusCode());
        Response metrics = http.get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("taskgate_http_requests"), "request timer missing from /metrics");
        assertTrue(sample(metrics.body(), "executor_queued_tasks", "name=\"ingress-blocking\"").isPresent(),
                "pool metrics missing from /metrics");
        assertTrue(sample(metrics.body(), "taskgate_executor_rejected_total", "name=\"ingress-blocking\"").isPresent(),
                "pool rejections missing from /metrics");

        Response stats = http.get("/api/stats");
        assertEquals(200, stats.statusCode());
        assertTrue(json(stats).get("ok").asBoolean());
        assertTrue(json(stats).get("total_requests").asLong() > 0);
        long unauthorized = json(stats).get("unauthorized").asLong();
        assertTrue(unauthorized >= 1, "the refused /api/policy request is not counted");
        assertEquals(Optional.of((double) unauthorized),
                sample(metrics.body(), "taskgate_ingress_requests_refused_total", "reason=\"unauthorized\""),
                "/api/stats and /metrics disagree on unauthorized requests");
    }

    @Test
    void shouldAnswerUnknownRoutesInTheErrorShape() {
        Response response = http.get("/no/such/thing", "X-Request-Id", "it-req-42");

        assertEquals(404, response.statusCode());
        assertEquals("it-req-42", response.headers().firstValue("X-Request-Id").orElse(null));
        JsonNode body = json(response);
        assertFalse(body.get("ok").asBoolean());
        assertEquals(404, body.at("/error/code").asInt());
        assertEquals("NOT_FOUND", body.at("/error/codeName").asText());
        assertEquals("it-req-42", body.get("request_id").asText());
        assertTrue(response.headers().firstValue("Server").isEmpty(), "the server should not name itself");

        Response wrongMethod = http.send("PATCH", "/api/agents", "application/json", "{}", ADMIN);
        assertEquals(405, wrongMethod.statusCode());
        assertEquals("METHOD_NOT_ALLOWED", json(wrongMethod).at("/error/codeName").asText());
        assertNotEquals("", wrongMethod.headers().firstValue("X-Request-Id").orElse(""));
    }

    @Test
    void shouldAnswerUnavailableWhenTheAuditSinkIsAway() {
        Response response = http.get("/api/audit?limit=5", ADMIN);

        assertEquals(503, response.statusCode(), response.body());
        assertEquals("UNAVAILABLE", json(response).at("/error/codeName").asText());
        assertTrue(response.headers().firstValue("Retry-After").isPresent());
        assertEquals(401, http.get("/api/audit").statusCode());
    }

    @Test
    void shouldApplyTheEdgeProtectionsOfThePolicy() throws Exception {
        try (IngressService limited = startIngress(kafka.fresh())) {
            HttpDriver client = new HttpDriver(limited.port());
            Response put = client.send("PUT", "/api/policy", "application/json",
                    "{\"version\": 1, \"ingress\": {\"per_ip_rate_limit\": \"5/minute\"}}", ADMIN);
            assertEquals(200, put.statusCode(), put.body());

            Await.until("the flood limit to refuse", () -> client.get("/api/stats").statusCode() == 429, DEADLINE);
            Response refused = client.get("/api/stats");
            assertEquals("TOO_MANY_REQUESTS", json(refused).at("/error/codeName").asText());
            assertTrue(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow()) >= 1);
        }
        try (IngressService fenced = startIngress(kafka.fresh())) {
            HttpDriver client = new HttpDriver(fenced.port());
            String fence = "{\"version\": 1, \"ingress\": {\"ip_allowlist\": [\"10.0.0.0/8\"]}}";
            Response own = client.send("PUT", "/api/policy", "application/json", fence, ADMIN);
            assertEquals(400, own.statusCode(), own.body());
            String message = json(own).at("/error/message").asText();
            assertTrue(message.contains("ingress.ip_allowlist") && message.contains("127.0.0.1"), message);
            assertEquals(200, client.get("/health").statusCode(), "a refused policy must leave the edge open");

            Response put = client.send("PUT", "/api/policy?force=true", "application/json", fence, ADMIN);
            assertEquals(200, put.statusCode(), put.body());

            Response refused = client.get("/health");
            assertEquals(403, refused.statusCode());
            assertEquals("FORBIDDEN", json(refused).at("/error/codeName").asText());
        }
    }

    @Test
    void shouldCarryTheFileDigestOfTheReplacedPolicyIntoAPut() throws Exception {
        TestKafka fresh = kafka.fresh();
        Topics topics = fresh.topics();
        KafkaClients clients = fresh.clients();
        String fromFile = "version: 1\ntasks:\n  echo.*:\n    rate_limit: 2/minute\n";
        String put = "version: 1\ntasks:\n  echo.*:\n    rate_limit: 9/minute\n";
        try (IngressService own = startIngress(fresh)) {
            try (KafkaSender sender = new KafkaSender(clients.newProducer("it-policy-file"))) {
                sender.send(topics.policies(), PolicyRecord.KEY,
                        new PolicyRecord(fromFile, Instant.now(), "file:/etc/policy.yaml", "sha256:feed")).get(30, TimeUnit.SECONDS);
            }
            HttpDriver client = new HttpDriver(own.port());
            Await.until("the file's policy in force", () -> client.get("/api/policy", ADMIN).body().equals(fromFile), DEADLINE);

            assertEquals(200, client.send("PUT", "/api/policy", "application/yaml", put, ADMIN).statusCode());

            try (CompactedTopicView<PolicyRecord> policies = new CompactedTopicView<>(topics.policies(),
                    clients.newConsumer("it-policies", null))) {
                policies.start();
                assertTrue(policies.awaitCaughtUp(DEADLINE));
                PolicyRecord inForce = policies.get(PolicyRecord.KEY).orElseThrow();
                assertEquals(put, inForce.document());
                assertEquals("api", inForce.source());
                assertEquals("sha256:feed", inForce.fileDigest(), "a restart with the unchanged file must not undo this PUT");
            }
        }
    }

    private static IngressService startIngress(TestKafka on) {
        IngressConfig config = IngressConfig.from(ConfigSource.of(Map.of(
                Setting.KAFKA_BOOTSTRAP, on.bootstrapServers(),
                Setting.TOPIC_PREFIX, on.topics().prefix(),
                Setting.HOST, "127.0.0.1",
                Setting.PORT, "0",
                Setting.ADMIN_TOKEN, ADMIN_TOKEN,
                Setting.TOKEN_HMAC_SECRET, "it-hmac-secret-" + UUID.randomUUID(),
                Setting.AUDIT_URL, "http://127.0.0.1:9",
                Setting.STATE_DIR, stateDir.toString())));
        PrometheusMeterRegistry metrics = Metrics.newRegistry("it");
        return IngressService.start(config, new KafkaClients(config.kafka()), metrics, Clock.systemUTC(), parts -> new NoTasks());
    }

    private static Response createAgent(String name, String tools, String actions) {
        return http.postJson("/api/agents", "{\"name\": \"" + name + "\", \"description\": \"an IT agent\", \"tools\": " + tools
                + ", \"actions\": " + actions + "}", ADMIN);
    }

    private static int validate(String token) {
        return http.send("POST", "/api/validate", null, null, "Authorization", "Bearer " + token).statusCode();
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** Stands in for the task API, which has its own tests. */
    private static final class NoTasks implements TaskRoutes {
        @Override
        public void stopAccepting() {
        }

        @Override
        public void start() {
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void addRoutes(RoutingHandler routes, AdminAuth admin) {
        }

        @Override
        public void close() {
        }
    }

    /** The value of the Prometheus sample of that metric whose labels include the given one. */
    private static Optional<Double> sample(String exposition, String metric, String label) {
        return exposition.lines()
                .filter(line -> line.startsWith(metric + "{") && line.contains(label))
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst();
    }
}
