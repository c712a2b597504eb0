package io.taskgate.platform.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskgate.schemas.json.Json;
import io.undertow.server.HttpHandler;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.util.Map;
import java.util.TreeMap;

/** {@code /health} and {@code /metrics}, the same on every service. */
public final class OpsHandlers {
    private OpsHandlers() {
    }

    public static HttpHandler health(HealthReport report) {
        return exchange -> {
            HealthReport.Body body = report.current();
            Map<String, Object> json = Map.of("status", body.status(), "uptime_s", body.uptimeS(),
                    "version", body.version(), "timestamp", body.timestamp().toString(), "kafka", body.kafka(),
                    "breakers", new TreeMap<>(body.breakers()));
            exchange.setStatusCode(body.serving() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            exchange.getResponseSender().send(write(json));
        };
    }

    public static HttpHandler metrics(PrometheusMeterRegistry registry) {
        return exchange -> {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            exchange.getResponseSender().send(registry.scrape());
        };
    }

    private static String write(Object json) {
        try {
            return Json.mapper().writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("health body always serializes", e);
        }
    }
}
