package io.taskgate.audit.query;

import static io.taskgate.audit.AuditEvents.event;
import static io.taskgate.audit.AuditEvents.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.audit.store.AuditReader;
import io.taskgate.audit.store.AuditWriter;
import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.schemas.json.Json;
import io.undertow.Undertow;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditRoutesTest {
    private static final String TOKEN = "admin-token-0123456789";
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ExecutorService queries = Executors.newFixedThreadPool(2);
    private AuditWriter store;
    private Undertow server;

    @BeforeEach
    void start() {
        store = AuditWriter.open("jdbc:sqlite:" + dir.resolve("audit.db"));
        store.append("t.audit", List.of(
                record(0, 0, event("a", T0, AuditAction.TASK_ACCEPTED, "agt_1", "t1", Map.of())),
                record(0, 1, event("b", T0.plusSeconds(1), AuditAction.TASK_STARTED, "agt_2", "t2", Map.of("attempt", 1))),
                record(1, 0, event("c", T0.plusSeconds(2), AuditAction.TASK_SUCCEEDED, "agt_2", "t2", Map.of()))));
        serve(queries);
    }

    private void serve(Executor executor) {
        if (server != null) {
            server.stop();
        }
        server = Undertow.builder().addHttpListener(0, "127.0.0.1")
                .setHandler(AuditRoutes.create(AuditReader.open("jdbc:sqlite:" + dir.resolve("audit.db")), TOKEN, executor)).build();
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
        queries.shutdownNow();
        store.close();
    }

    @Test
    void shouldAnswerWithRecordsNewestFirst() throws Exception {
        HttpResponse<String> response = get("", "Bearer " + TOKEN, null);
        JsonNode body = Json.mapper().readTree(response.body());

        assertEquals(200, response.statusCode());
        assertTrue(body.get("ok").asBoolean());
        assertEquals(List.of(3L, 2L, 1L), seqs(body));
        JsonNode newest = body.get("records").get(0);
        assertEquals("task.succeeded", newest.get("type").asText());
        assertEquals("agt_2", newest.get("agent_id").asText());
        assertEquals("req_c", newest.get("request_id").asText());
        assertEquals(64, newest.get("hash").asText().length());
        assertEquals(1, body.get("records").get(1).get("details").get("attempt").asInt());
    }

    @Test
    void shouldApplyTheFiltersOfTheQueryString() throws Exception {
        JsonNode byAgent = Json.mapper().readTree(get("?agent_id=agt_2&limit=1", "Bearer " + TOKEN, null).body());
        JsonNode byType = Json.mapper().readTree(get("?type=task.accepted", "Bearer " + TOKEN, null).body());
        JsonNode byTime = Json.mapper().readTree(
                get("?since=2025-03-01T10:00:01Z&until=2025-03-01T10:00:02Z", "Bearer " + TOKEN, null).body());

        assertEquals(List.of(3L), seqs(byAgent));
        assertEquals(List.of(1L), seqs(byType));
        assertEquals(List.of(2L), seqs(byTime));
    }

    @Test
    void shouldRefuseAMissingTokenInTheErrorShapeWithANewRequestId() throws Exception {
        HttpResponse<String> response = get("", null, null);
        JsonNode body = Json.mapper().readTree(response.body());
        String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();

        assertEquals(401, response.statusCode());
        assertEquals("Bearer", response.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertEquals(false, body.get("ok").asBoolean());
        assertEquals(401, body.get("error").get("code").asInt());
        assertEquals("UNAUTHORIZED", body.get("error").get("codeName").asText());
        assertTrue(requestId.startsWith("req_"), requestId);
        assertEquals(requestId, body.get("request_id").asText());
    }

    @Test
    void shouldRefuseAWrongTokenAndEchoTheCallersRequestId() throws Exception {
        HttpResponse<String> wrong = get("", "Bearer " + TOKEN + "x", "trace-42");
        HttpResponse<String> otherScheme = get("", "Basic " + TOKEN, "trace-43");

        assertEquals(401, wrong.statusCode());
        assertEquals("trace-42", wrong.headers().firstValue("X-Request-Id").orElseThrow());
        assertEquals("trace-42", Json.mapper().readTree(wrong.body()).get("request_id").asText());
        assertEquals("the admin token is not valid", Json.mapper().readTree(wrong.body()).get("error").get("message").asText());
        assertEquals(401, otherScheme.statusCode());
    }

    @Test
    void shouldAnswerBadRequestNamingTheParameter() throws Exception {
        HttpResponse<String> response = get("?since=last-week", "Bearer " + TOKEN, null);
        JsonNode error = Json.mapper().readTree(response.body()).get("error");

        assertEquals(400, response.statusCode());
        assertEquals("BAD_REQUEST", error.get("codeName").asText());
        assertTrue(error.get("message").asText().startsWith("since "), error.get("message").asText());
    }

    @Test
    void shouldAnswerUnavailableWhenTooManyQueriesAreWaiting() throws Exception {
        serve(command -> {
            throw new RejectedExecutionException("full");
        });

        HttpResponse<String> response = get("", "Bearer " + TOKEN, null);

        assertEquals(503, response.statusCode());
        assertEquals("1", response.headers().firstValue("Retry-After").orElseThrow());
        assertEquals("UNAVAILABLE", Json.mapper().readTree(response.body()).get("error").get("codeName").asText());
    }

    private HttpResponse<String> get(String query, String authorization, String requestId) throws IOException, InterruptedException {
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + AuditRoutes.PATH + query));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (requestId != null) {
            request.header("X-Request-Id", requestId);
        }
        return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<Long> seqs(JsonNode body) {
        List<Long> seqs = new ArrayList<>();
        body.get("records").forEach(record -> seqs.add(record.get("seq").asLong()));
        return seqs;
    }
}
