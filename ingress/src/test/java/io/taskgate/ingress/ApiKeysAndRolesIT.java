package io.taskgate.ingress;

import static io.taskgate.testing.HttpDriver.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.taskgate.platform.config.Setting;
import io.taskgate.schemas.crypto.Sha256;
import io.taskgate.testing.Await;
import io.taskgate.testing.HttpDriver;
import io.taskgate.testing.HttpDriver.Response;
import io.taskgate.testing.TestKafka;
import io.taskgate.testing.WithKafka;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * API keys and roles over a real broker, on two ingress instances: a key created or deleted on
 * one is honoured or refused on the other; each role reaches its routes and gets 403 elsewhere;
 * internal tasks take service keys only. The first instance runs the real task API.
 */
@WithKafka
class ApiKeysAndRolesIT {
    private static final String ADMIN_TOKEN = "it-admin-token-" + UUID.randomUUID();
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final Duration WITHIN_SECONDS = Duration.ofSeconds(5);
    private static final String POLICY = """
            version: 1
            tasks:
              internal.*:
                internal: true
                route: http://127.0.0.1:9
            """;

    private static HttpServer auditSink;
    private static IngressService first;
    private static IngressService second;
    private static HttpDriver one;
    private static HttpDriver two;

    @BeforeAll
    static void start(TestKafka kafka) throws IOException {
        auditSink = fakeAuditSink();
        TestIngresses ingresses = new TestIngresses(kafka, ADMIN_TOKEN);
        Map<Setting, String> settings = Map.of(Setting.AUDIT_URL, "http://127.0.0.1:" + auditSink.getAddress().getPort());
        first = ingresses.withTasks(settings);
        second = ingresses.withoutTasks(settings);
        one = new HttpDriver(first.port());
        two = new HttpDriver(second.port());
        Await.until("the first instance's task API is ready", first::isReady, DEADLINE);
        assertEquals(200, one.put("/api/policy", "application/yaml", POLICY, bearer(ADMIN_TOKEN)).statusCode());
    }

    @AfterAll
    static void stop() {
        for (IngressService ingress : new IngressService[] {first, second}) {
            if (ingress != null) {
                ingress.close();
            }
        }
        if (auditSink != null) {
            auditSink.stop(0);
        }
    }

    @Test
    void shouldShowAKeyOnceAndKeepOnlyItsHash() {
        Response created = one.postJson("/api/keys", "{\"name\": \"dashboards\", \"role\": \"operator\"}", bearer(ADMIN_TOKEN));

        assertEquals(201, created.statusCode(), created.body());
        JsonNode key = created.json();
        assertTrue(key.get("id").asText().startsWith("key_"), created.body());
        assertTrue(key.get("key").asText().startsWith("tgk_"), created.body());
        assertEquals("operator", key.get("role").asText());
        assertTrue(key.has("created_at"));
        Response listed = one.get("/api/keys", bearer(ADMIN_TOKEN));
        assertTrue(listed.body().contains(key.get("id").asText()), listed.body());
        assertFalse(listed.body().contains(key.get("key").asText()), listed.body());
        assertFalse(listed.body().contains(Sha256.hex(key.get("key").asText())), listed.body());
        one.postJson("/api/keys", "{\"name\": \"x\", \"role\": \"root\"}", bearer(ADMIN_TOKEN)).assertError(400, "BAD_REQUEST");
    }

    @Test
    void shouldLetAnOperatorReadTheAdminApiAndAuditButChangeNothing() {
        String operator = keyKnownToBoth("operator");
        String agent = agentId();

        for (String path : new String[] {"/api/agents", "/api/agents/" + agent, "/api/keys", "/api/policy", "/api/audit?limit=1"}) {
            assertEquals(200, two.get(path, bearer(operator)).statusCode(), path);
        }
        two.postJson("/api/agents", agentJson(), bearer(operator)).assertError(403, "FORBIDDEN");
        two.delete("/api/agents/" + agent, bearer(operator)).assertError(403, "FORBIDDEN");
        two.postJson("/api/agents/" + agent + "/tokens", "{}", bearer(operator)).assertError(403, "FORBIDDEN");
        two.postJson("/api/tokens/revoke", "{\"jti\": \"x\"}", bearer(operator)).assertError(403, "FORBIDDEN");
        two.postJson("/api/keys", "{\"name\": \"n\", \"role\": \"admin\"}", bearer(operator)).assertError(403, "FORBIDDEN");
        two.delete("/api/keys/key_x", bearer(operator)).assertError(403, "FORBIDDEN");
        two.put("/api/policy", "application/yaml", POLICY, bearer(operator)).assertError(403, "FORBIDDEN");
    }

    @Test
    void shouldLetAnAuditorReadTheAuditTrailOnly() {
        String auditor = keyKnownToBoth("auditor");

        Response audit = two.get("/api/audit?limit=1", bearer(auditor));
        assertEquals(200, audit.statusCode(), audit.body());
        for (String path : new String[] {"/api/agents", "/api/keys", "/api/policy"}) {
            two.get(path, bearer(auditor)).assertError(403, "FORBIDDEN");
        }
        two.postJson("/api/agents", agentJson(), bearer(auditor)).assertError(403, "FORBIDDEN");
    }

    @Test
    void shouldLetAnAdminKeyDoWhatTheAdminTokenDoes() {
        String admin = keyKnownToBoth("admin");

        Response agent = two.postJson("/api/agents", agentJson(), bearer(admin));
        assertEquals(201, agent.statusCode(), agent.body());
        assertEquals(201, two.postJson("/api/agents/" + agent.json().get("id").asText() + "/tokens", "{}", bearer(admin)).statusCode());
        assertEquals(201, two.postJson("/api/keys", "{\"name\": \"made-by-key\", \"role\": \"auditor\"}", bearer(admin)).statusCode());
        assertEquals(200, two.get("/api/audit?limit=1", bearer(admin)).statusCode());
        assertEquals(200, two.put("/api/policy", "application/yaml", POLICY, bearer(admin)).statusCode());
    }

    @Test
    void shouldKeepAServiceKeyOutOfTheAdminApi() {
        String service = keyKnownToBoth("service");

        two.get("/api/agents", bearer(service)).assertError(403, "FORBIDDEN");
        two.get("/api/audit", bearer(service)).assertError(403, "FORBIDDEN");
    }

    @Test
    void shouldRefuseADeletedKeyOnTheOtherInstanceWithinSeconds() {
        Response created = one.postJson("/api/keys", "{\"name\": \"short-lived\", \"role\": \"operator\"}", bearer(ADMIN_TOKEN));
        String id = created.json().get("id").asText();
        String key = created.json().get("key").asText();
        Await.until("the second instance honours the new key", () -> two.get("/api/agents", bearer(key)).statusCode() == 200, DEADLINE);

        assertEquals(200, one.delete("/api/keys/" + id, bearer(ADMIN_TOKEN)).statusCode());
        long deleted = System.nanoTime();

        one.get("/api/agents", bearer(key)).assertError(401, "UNAUTHORIZED");
        Await.until("the second instance refuses the deleted key", () -> two.get("/api/agents", bearer(key)).statusCode() == 401,
                WITHIN_SECONDS);
        System.out.printf("key deleted on one instance -> refused on the other after %.1f ms%n", (System.nanoTime() - deleted) / 1e6);
        assertFalse(one.get("/api/keys", bearer(ADMIN_TOKEN)).body().contains(id));
        one.delete("/api/keys/" + id, bearer(ADMIN_TOKEN)).assertError(404, "NOT_FOUND");
    }

    @Test
    void shouldLetOnlyServiceKeysCallInternalTasks() {
        String service = keyKnownToBoth("service");
        String operator = keyKnownToBoth("operator");
        String agentToken = one.mintToken(ADMIN_TOKEN, agentId(), "{}");

        Response accepted = one.postTask(service, "internal.cache.clear", "{\"input\": {}}");
        assertEquals(202, accepted.statusCode(), accepted.body());
        one.postTask(agentToken, "internal.cache.clear", "{\"input\": {}}").assertError(403, "FORBIDDEN");
        one.postTask(operator, "internal.cache.clear", "{\"input\": {}}").assertError(403, "FORBIDDEN");
        one.postTask(service, "echo.run", "{\"input\": {}}").assertError(403, "FORBIDDEN");
        one.postJson("/__runner/task/internal.cache.clear", "{\"input\": {}}").assertError(401, "UNAUTHORIZED");
    }

    @Test
    void shouldLetAnOperatorCancelAnotherCallersTask() {
        String service = keyKnownToBoth("service");
        String operator = keyKnownToBoth("operator");
        String stranger = one.mintToken(ADMIN_TOKEN, agentId(), "{}");
        String taskId = one.postTask(service, "internal.cache.clear", "{\"input\": {}}").json().get("task_id").asText();
        Await.until("the status view has the task", () -> one.getTask(operator, taskId, "").statusCode() == 200, DEADLINE);

        one.delete("/__runner/tasks/" + taskId, bearer(stranger)).assertError(404, "NOT_FOUND");
        Response cancelled = one.delete("/__runner/tasks/" + taskId, bearer(operator));

        assertEquals(200, cancelled.statusCode(), cancelled.body());
        assertEquals("cancelled", cancelled.json().get("status").asText());
    }

    /** A key of the role created on the first instance, once the second instance honours it too. */
    private static String keyKnownToBoth(String role) {
        Response created = one.postJson("/api/keys", "{\"name\": \"" + role + "-" + suffix() + "\", \"role\": \"" + role + "\"}",
                bearer(ADMIN_TOKEN));
        assertEquals(201, created.statusCode(), created.body());
        String key = created.json().get("key").asText();
        Await.until("the second instance knows the " + role + " key",
                () -> two.send("POST", "/api/validate", null, null, bearer(key)).statusCode() == 200, DEADLINE);
        return key;
    }

    private static String agentId() {
        return one.createAgent(ADMIN_TOKEN, agentJson());
    }

    private static String agentJson() {
        return "{\"name\": \"agent-" + suffix() + "\", \"tools\": [\"*\"], \"actions\": [\"*\"]}";
    }

    /** Answers like the audit sink, and only to the admin token, which ingress must forward in place of an API key. */
    private static HttpServer fakeAuditSink() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/audit", exchange -> {
            boolean admin = ("Bearer " + ADMIN_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = (admin ? "{\"ok\": true, \"records\": []}" : "{\"ok\": false}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(admin ? 200 : 401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
