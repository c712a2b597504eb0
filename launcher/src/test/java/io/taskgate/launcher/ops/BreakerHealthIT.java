package io.taskgate.launcher.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.taskgate.launcher.dev.DevEnvironment;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.ops.Metrics;
import io.taskgate.testing.Await;
import io.taskgate.testing.HttpDriver;
import io.taskgate.testing.HttpDriver.Response;
import io.taskgate.testing.TestKafka;
import io.taskgate.testing.WithKafka;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tool whose backend keeps failing opens its circuit breaker: the worker's {@code /health}, and
 * {@code taskgate dev}'s (ingress, in the same process as the worker), say {@code degraded} and
 * name the tool while still answering 200, then {@code healthy} once the backend recovered and the
 * breaker closed again.
 */
@WithKafka
class BreakerHealthIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    /** The standard breaker opens once at least 10 calls were made and half of them failed. */
    private static final int CALLS_TO_OPEN = 10;
    /** No retries, so each task is one call; the breaker tries the backend again after a second. */
    private static final String TOOLS = "{http_fetch: {retries: 0, breaker_open_ms: 1000}}";

    @TempDir
    Path dataDir;

    @Test
    void shouldSayDegradedOnTheWorkersHealthWhileItsBreakerIsOpen(TestKafka kafka) throws Exception {
        try (Backend backend = new Backend();
             ServiceFleet fleet = new ServiceFleet(kafka, dataDir, Map.of(
                     Setting.TOOLS, TOOLS, Setting.HTTP_FETCH_ALLOW_PRIVATE, "true"))) {
            HttpDriver worker = new HttpDriver(fleet.workerUrl());
            HttpDriver ingress = new HttpDriver(fleet.ingressUrl());
            assertHealthy(worker.get("/health"));

            breakAndRecover(ingress, fleet.adminToken(), backend, () -> worker.get("/health"));
            assertHealthy(ingress.get("/health"));
        }
    }

    @Test
    void shouldSayDegradedOnDevsHealthWhileTheWorkersBreakerIsOpen() throws Exception {
        Path policy = dataDir.resolve("policy.yaml");
        Files.writeString(policy, "version: 1\ndefaults:\n  rate_limit: 6000/minute\n");
        try (Backend backend = new Backend();
             DevEnvironment dev = DevEnvironment.start(ConfigSource.of(Map.of(
                     Setting.DATA_DIR, dataDir.resolve("data").toString(),
                     Setting.PORT, "0",
                     Setting.AUDIT_PORT, "0",
                     Setting.POLICY_FILE, policy.toString(),
                     Setting.TOOLS, TOOLS,
                     Setting.HTTP_FETCH_ALLOW_PRIVATE, "true")), Metrics.newRegistry("test"), Clock.systemUTC())) {
            HttpDriver ingress = new HttpDriver(dev.ingressUrl());
            assertHealthy(ingress.get("/health"));

            breakAndRecover(ingress, dev.adminToken(), backend, () -> ingress.get("/api/health"));
        }
    }

    private static void breakAndRecover(HttpDriver ingress, String admin, Backend backend,
                                        java.util.function.Supplier<Response> health) {
        String agent = ingress.createAgent(admin, "{\"name\": \"breaker-bot\", \"tools\": [\"http_fetch\"], \"actions\": [\"*\"]}");
        String token = ingress.mintToken(admin, agent, "{\"expires_in\": 3600}");

        backend.answer(500);
        for (int i = 0; i < CALLS_TO_OPEN; i++) {
            assertEquals("failed", fetch(ingress, token, backend).path("status").asText());
        }
        Response degraded = Await.value("health to say the breaker is open", health, response ->
                "degraded".equals(response.json().path("status").asText()), DEADLINE);
        assertEquals(200, degraded.statusCode(), "a worker with one open breaker still serves the other tools");
        assertEquals("open", degraded.json().path("breakers").path("http_fetch").asText(), degraded::toString);
        assertEquals("up", degraded.json().path("kafka").asText());

        backend.answer(200);
        // After its wait the breaker lets a few calls through (half-open) and closes when they succeed.
        Response healthy = Await.value("health to say healthy once the breaker closed", () -> {
            fetch(ingress, token, backend);
            return health.get();
        }, response -> "healthy".equals(response.json().path("status").asText()), DEADLINE);
        assertHealthy(healthy);
        assertTrue(backend.calls() > CALLS_TO_OPEN, "the breaker let calls through again");
    }

    private static JsonNode fetch(HttpDriver ingress, String token, Backend backend) {
        Response answered = ingress.postTask(token, "http_fetch.get", "{\"input\": {\"url\": \"" + backend.url() + "\"}}",
                "Prefer", "wait=30");
        assertEquals(200, answered.statusCode(), answered::toString);
        return answered.json();
    }

    private static void assertHealthy(Response health) {
        assertEquals(200, health.statusCode(), health::toString);
        assertEquals("healthy", health.json().path("status").asText(), health::toString);
        assertEquals(0, health.json().path("breakers").size(), health::toString);
    }

    /** A backend answering every request with the status it was last told. */
    private static final class Backend implements AutoCloseable {
        private final HttpServer server;
        private final AtomicInteger status = new AtomicInteger(200);
        private final AtomicInteger calls = new AtomicInteger();

        Backend() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                calls.incrementAndGet();
                byte[] body = "{\"ok\": true}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(status.get(), body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
        }

        void answer(int code) {
            status.set(code);
        }

        int calls() {
            return calls.get();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/page";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
