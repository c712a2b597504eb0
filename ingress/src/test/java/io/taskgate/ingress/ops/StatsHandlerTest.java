package io.taskgate.ingress.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskgate.ingress.http.IngressMeters;
import io.taskgate.ingress.http.IngressMeters.Reason;
import io.taskgate.ingress.http.RequestMetricsHandler;
import io.taskgate.schemas.json.Json;
import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StatsHandlerTest {
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private Undertow server;
    private URI statsUrl;

    @BeforeEach
    void startServer() {
        server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(new StatsHandler(metrics)).build();
        server.start();
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        statsUrl = URI.create("http://127.0.0.1:" + port + "/api/stats");
    }

    @AfterEach
    void stopServer() {
        server.stop();
    }

    @Test
    void shouldReportZeroesBeforeAnythingWasCounted() throws Exception {
        JsonNode body = get();
        assertTrue(body.get("ok").asBoolean());
        for (String field : new String[] {"total_requests", "accepted", "rejected", "rate_limited", "blocked", "unauthorized", "unavailable"}) {
            assertEquals(0, body.get(field).asLong(), field);
        }
    }

    @Test
    void shouldReportWhatTheMicrometerCountersHold() throws Exception {
        Timer.builder(RequestMetricsHandler.METER).tags("route", "/a", "status", "200").register(metrics).record(Duration.ofMillis(1));
        Timer.builder(RequestMetricsHandler.METER).tags("route", "/b", "status", "429").register(metrics).record(Duration.ofMillis(1));
        Timer.builder(RequestMetricsHandler.METER).tags("route", "/b", "status", "429").register(metrics).record(Duration.ofMillis(1));
        IngressMeters.tasksAccepted(metrics).increment(4);
        IngressMeters.tasksRejected(metrics, Reason.RATE_LIMITED).increment();
        IngressMeters.tasksRejected(metrics, Reason.BLOCKED).increment();
        IngressMeters.tasksRejected(metrics, Reason.POLICY).increment(2);
        IngressMeters.refused(metrics, Reason.RATE_LIMITED).increment(3);
        IngressMeters.refused(metrics, Reason.BLOCKED).increment(5);
        IngressMeters.refused(metrics, Reason.UNAUTHORIZED).increment(6);
        IngressMeters.refused(metrics, Reason.UNAVAILABLE).increment(7);

        JsonNode body = get();

        assertEquals(Map.of("total_requests", 3L, "accepted", 4L, "rejected", 4L, "rate_limited", 4L, "blocked", 6L,
                "unauthorized", 6L, "unavailable", 7L), new StatsHandler(metrics).snapshot());
        assertEquals(3, body.get("total_requests").asLong());
        assertEquals(4, body.get("accepted").asLong());
        assertEquals(4, body.get("rejected").asLong());
        assertEquals(4, body.get("rate_limited").asLong());
        assertEquals(6, body.get("blocked").asLong());
        assertEquals(6, body.get("unauthorized").asLong());
        assertEquals(7, body.get("unavailable").asLong());
    }

    private JsonNode get() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(statsUrl).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        return Json.mapper().readTree(response.body());
    }
}
