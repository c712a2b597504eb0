package io.taskgate.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.ops.Metrics;
import io.taskgate.schemas.json.Json;
import io.taskgate.testing.Await;
import io.taskgate.testing.HttpDriver;
import io.taskgate.testing.HttpDriver.Response;
import io.taskgate.testing.TestKafka;
import io.taskgate.testing.WithKafka;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document against the server, both ways: every route ingress answers is documented,
 * and every documented route answers (not the router's 404 or 405).
 */
@WithKafka
class OpenApiRoutesIT {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    @TempDir
    static Path stateDir;

    private static IngressService ingress;
    private static HttpDriver http;
    private static JsonNode document;

    @BeforeAll
    static void start(TestKafka kafka) throws Exception {
        IngressConfig config = IngressConfig.from(ConfigSource.of(Map.of(
                Setting.KAFKA_BOOTSTRAP, kafka.bootstrapServers(),
                Setting.TOPIC_PREFIX, kafka.topics().prefix(),
                Setting.PORT, "0",
                Setting.ADMIN_TOKEN, "openapi-admin-token",
                Setting.TOKEN_HMAC_SECRET, "openapi-it-hmac-secret-0123456789abcdef",
                Setting.AUDIT_URL, "http://127.0.0.1:9",
                Setting.STATE_DIR, stateDir.toString())));
        ingress = IngressService.start(config, new KafkaClients(config.kafka()), Metrics.newRegistry("it"), Clock.systemUTC());
        Await.until("ingress ready", ingress::isReady, Duration.ofSeconds(60));
        http = new HttpDriver(ingress.port());
        Response served = http.get("/openapi.json");
        assertEquals(200, served.statusCode(), served::toString);
        assertTrue(served.header("Content-Type").startsWith("application/json"), served.header("Content-Type"));
        document = Json.mapper().readTree(served.body());
    }

    @AfterAll
    static void stop() {
        if (ingress != null) {
            ingress.close();
        }
    }

    @Test
    void shouldDocumentEveryRouteTheServerAnswersAndNoOther() {
        Set<String> documented = documentedRoutes();

        assertTrue(ingress.routes().contains("POST /__runner/task/{name}"), ingress.routes().toString());
        assertEquals(new TreeSet<>(ingress.routes()), documented);
    }

    @Test
    void shouldAnswerEveryDocumentedRoute() {
        List<String> unanswered = new ArrayList<>();
        for (String route : documentedRoutes()) {
            String method = route.substring(0, route.indexOf(' '));
            String path = route.substring(route.indexOf(' ') + 1)
                    .replace("{name}", "echo.run").replace("{id}", "tsk_0000000000000000")
                    .replace("{namespace}", "notes").replace("{key}", "example")
                    .replace("{tool}", "echo").replace("{action}", "run").replaceAll("\\{[^}]+}", "x");
            Response response = http.send(method, path, "application/json", method.equals("GET") || method.equals("DELETE") ? null : "{}");
            boolean routed = response.statusCode() != 405
                    && !(response.statusCode() == 404 && response.body().contains("no such endpoint"));
            if (!routed) {
                unanswered.add(route + " -> " + response.statusCode() + " " + response.body());
            }
        }
        assertEquals(List.of(), unanswered);
    }

    @Test
    void shouldServeAPageThatRendersTheDocument() {
        Response page = http.get("/docs");

        assertEquals(200, page.statusCode());
        assertTrue(page.header("Content-Type").startsWith("text/html"), page.header("Content-Type"));
        assertTrue(page.body().contains("spec-url=\"/openapi.json\""), page.body());
    }

    private static Set<String> documentedRoutes() {
        Set<String> routes = new TreeSet<>();
        Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(field -> {
                if (METHODS.contains(field)) {
                    routes.add(field.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            });
        }
        return routes;
    }
}
