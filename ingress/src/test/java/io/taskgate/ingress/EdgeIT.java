package io.taskgate.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.ingress.testing.RawHttp;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.ops.Metrics;
import io.taskgate.testing.Await;
import io.taskgate.testing.TestKafka;
import io.taskgate.testing.WithKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CORS and trusted proxies on a whole ingress: what a browser and a load balancer in front of it see. */
@WithKafka
class EdgeIT {
    private static final String ADMIN_TOKEN = "edge-admin-token-" + UUID.randomUUID();
    private static final String APP = "https://app.example.com";
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private static IngressService ingress;

    @BeforeAll
    static void start(TestKafka kafka) throws IOException {
        IngressConfig config = IngressConfig.from(ConfigSource.of(Map.of(
                Setting.KAFKA_BOOTSTRAP, kafka.bootstrapServers(),
                Setting.TOPIC_PREFIX, kafka.topics().prefix(),
                Setting.HOST, "127.0.0.1",
                Setting.PORT, "0",
                Setting.ADMIN_TOKEN, ADMIN_TOKEN,
                Setting.TOKEN_HMAC_SECRET, "edge-hmac-secret-" + UUID.randomUUID(),
                Setting.CORS_ORIGINS, APP,
                Setting.TRUSTED_PROXIES, "127.0.0.2",
                Setting.AUDIT_URL, "http://127.0.0.1:9",
                Setting.STATE_DIR, Files.createTempDirectory("edge-it").toString())));
        ingress = IngressService.start(config, new KafkaClients(config.kafka()), Metrics.newRegistry("edge-it"), Clock.systemUTC());
        Await.until("ingress ready", ingress::isReady, DEADLINE);
    }

    @AfterAll
    static void stop() {
        if (ingress != null) {
            ingress.close();
        }
    }

    @Test
    void shouldAnswerAPreflightFromAnAllowedOriginOnly() throws IOException {
        RawHttp.Answer allowed = send("127.0.0.1", "OPTIONS /__runner/task/echo.run HTTP/1.1\r\nHost: x\r\nOrigin: " + APP
                + "\r\nAccess-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: authorization, content-type\r\n");
        RawHttp.Answer other = send("127.0.0.1", "OPTIONS /__runner/task/echo.run HTTP/1.1\r\nHost: x\r\n"
                + "Origin: https://evil.example.com\r\nAccess-Control-Request-Method: POST\r\n");

        assertEquals(204, allowed.status());
        assertEquals(APP, allowed.header("Access-Control-Allow-Origin"));
        assertTrue(allowed.header("Access-Control-Allow-Headers").contains("Authorization"));
        assertNull(other.header("Access-Control-Allow-Origin"));
    }

    @Test
    void shouldLetABrowserReadAnErrorAnswer() throws IOException {
        RawHttp.Answer refused = send("127.0.0.1", "POST /__runner/task/echo.run HTTP/1.1\r\nHost: x\r\nOrigin: " + APP
                + "\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n{\"input\": 1}");

        assertEquals(401, refused.status(), refused.body());
        assertEquals(APP, refused.header("Access-Control-Allow-Origin"));
        assertTrue(refused.header("Access-Control-Expose-Headers").contains("Retry-After"));
    }

    @Test
    void shouldBelieveXForwardedForFromTrustedProxiesOnly() throws IOException {
        String policy = "{\"version\": 1, \"ingress\": {\"ip_allowlist\": [\"203.0.113.7\"]}}";
        RawHttp.Answer put = send("127.0.0.2", "PUT /api/policy HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ADMIN_TOKEN
                + "\r\nX-Forwarded-For: 203.0.113.7\r\nContent-Type: application/json\r\nContent-Length: "
                + policy.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + policy);
        assertEquals(200, put.status(), put.body());

        String stats = "GET /api/stats HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.7\r\n";
        Await.until("the allowlist to refuse a direct client", () -> sendUnchecked("127.0.0.1", stats).status() == 403, DEADLINE);
        assertEquals(200, send("127.0.0.2", stats).status(), "the client named by the trusted proxy");
        assertEquals(403, send("127.0.0.2", "GET /api/stats HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.7, 198.51.100.1\r\n")
                .status(), "the rightmost untrusted hop is the client, whatever the client wrote before it");
        assertEquals(403, send("127.0.0.1", stats).status(), "an untrusted peer's header is ignored");

        String open = "{\"version\": 1}";
        send("127.0.0.2", "PUT /api/policy HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ADMIN_TOKEN
                + "\r\nX-Forwarded-For: 203.0.113.7\r\nContent-Type: application/json\r\nContent-Length: " + open.length() + "\r\n\r\n" + open);
        Await.until("the allowlist lifted", () -> sendUnchecked("127.0.0.1", stats).status() == 200, DEADLINE);
    }

    private static RawHttp.Answer sendUnchecked(String from, String head) {
        try {
            return send(from, head);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code request} is the request line and headers, and the body after a blank line when it has one. */
    private static RawHttp.Answer send(String from, String request) throws IOException {
        String whole = request.contains("\r\n\r\n") ? request.replaceFirst("\r\n\r\n", "\r\nConnection: close\r\n\r\n")
                : request + "Connection: close\r\n\r\n";
        return RawHttp.send(ingress.port(), InetAddress.getByName(from), whole.getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(20), false);
    }
}
