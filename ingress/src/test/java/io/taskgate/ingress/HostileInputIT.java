package io.taskgate.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskgate.ingress.testing.RawHttp;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.ops.Metrics;
import io.taskgate.testing.HttpDriver;
import io.taskgate.testing.TestKafka;
import io.taskgate.testing.WithKafka;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile requests against a whole ingress over a real broker, in one table: forged tokens, oversized
 * headers and bodies, path tricks and JSON bombs. Each must get the 4xx it names, in the error shape,
 * and never a 5xx; slow clients must be dropped. Every log line written meanwhile is captured and
 * searched for the secrets in play. To add a case, add a row to {@link #cases()}.
 */
@WithKafka
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputIT {
    private static final String ADMIN_TOKEN = "hostile-admin-token-" + UUID.randomUUID();
    private static final String HMAC_SECRET = "hostile-hmac-secret-" + UUID.randomUUID();
    private static final String ISSUER = "taskgate";
    private static final String KID = "k1";
    private static final int MAX_BODY = 64 * 1024;
    private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(20);
    private static final ByteArrayOutputStream LOGS = new ByteArrayOutputStream();
    private static final List<String> RESULTS = new ArrayList<>();

    private static PrintStream originalErr;
    private static PrintStream originalOut;
    private static IngressService ingress;
    private static String agentId;
    private static String validToken;

    @BeforeAll
    static void start(TestKafka kafka) throws Exception {
        originalErr = System.err;
        originalOut = System.out;
        System.setErr(new PrintStream(new Tee(originalErr, LOGS), true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(new Tee(originalOut, LOGS), true, StandardCharsets.UTF_8));
        Path stateDir = Files.createTempDirectory("hostile-it");
        IngressConfig config = IngressConfig.from(ConfigSource.of(Map.ofEntries(
                Map.entry(Setting.KAFKA_BOOTSTRAP, kafka.bootstrapServers()),
                Map.entry(Setting.TOPIC_PREFIX, kafka.topics().prefix()),
                Map.entry(Setting.HOST, "127.0.0.1"),
                Map.entry(Setting.PORT, "0"),
                Map.entry(Setting.ADMIN_TOKEN, ADMIN_TOKEN),
                Map.entry(Setting.TOKEN_HMAC_SECRET, HMAC_SECRET),
                Map.entry(Setting.MAX_BODY_BYTES, Integer.toString(MAX_BODY)),
                Map.entry(Setting.HEADER_TIMEOUT_MS, Long.toString(HEADER_TIMEOUT.toMillis())),
                Map.entry(Setting.READ_TIMEOUT_MS, Long.toString(READ_TIMEOUT.toMillis())),
                Map.entry(Setting.AUDIT_URL, "http://127.0.0.1:9"),
                Map.entry(Setting.STATE_DIR, stateDir.toString()))));
        PrometheusMeterRegistry metrics = Metrics.newRegistry("hostile-it");
        ingress = IngressService.start(config, new KafkaClients(config.kafka()), metrics, Clock.systemUTC());
        io.taskgate.testing.Await.until("ingress ready", ingress::isReady, Duration.ofSeconds(60));
        HttpDriver http = new HttpDriver(ingress.port());
        agentId = http.createAgent(ADMIN_TOKEN, "{\"name\": \"hostile-" + UUID.randomUUID().toString().substring(0, 8)
                + "\", \"tools\": [\"*\"], \"actions\": [\"*\"]}");
        validToken = http.mintToken(ADMIN_TOKEN, agentId, "{}");
    }

    @AfterAll
    static void stop() throws IOException {
        if (ingress != null) {
            ingress.close();
        }
        System.setErr(originalErr);
        System.setOut(originalOut);
        Path report = Path.of("target", "hostile-input-results.txt");
        Files.createDirectories(report.getParent());
        Files.write(report, RESULTS);
    }

    /**
     * One hostile request and the status it must get; {@code sent} builds it once the token and
     * agent exist. {@code shaped} is false only where Undertow's HTTP parser refuses the request
     * before any handler runs, with a bare 400 and no body.
     */
    record Case(String name, int expected, boolean shaped, java.util.function.Supplier<byte[]> sent) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // forged tokens
                token("alg none", 401, () -> new PlainJWT(claims(agentId, ISSUER, ISSUER, 600, 0)).serialize()),
                token("HS256 with the Ed25519 public key as secret", 401, () -> hmac(claims(agentId, ISSUER, ISSUER, 600, 0), KID,
                        edKeys().getPublic().getEncoded())),
                token("EdDSA signed with an agent-style key", 401, HostileInputIT::edDsaToken),
                token("RS256 signed with an RSA key", 401, HostileInputIT::rsaToken),
                token("HS256 with the RSA public key as secret", 401, () -> hmac(claims(agentId, ISSUER, ISSUER, 600, 0), KID,
                        rsaPublicKeyBytes())),
                token("unknown kid", 401, () -> hmac(claims(agentId, ISSUER, ISSUER, 600, 0), "k9", secret())),
                token("path-like kid", 401, () -> hmac(claims(agentId, ISSUER, ISSUER, 600, 0), "../../../etc/passwd", secret())),
                token("tampered payload", 401, HostileInputIT::tamperedToken),
                token("expired", 401, () -> hmac(claims(agentId, ISSUER, ISSUER, -3600, 0), KID, secret())),
                token("not yet valid", 401, () -> hmac(claims(agentId, ISSUER, ISSUER, 7200, 3600), KID, secret())),
                token("wrong iss", 401, () -> hmac(claims(agentId, "someone-else", ISSUER, 600, 0), KID, secret())),
                token("wrong aud", 401, () -> hmac(claims(agentId, ISSUER, "another-gateway", 600, 0), KID, secret())),
                token("100 KB token", 401, () -> "eyJ" + "A".repeat(100 * 1024)),
                token("not a JWT at all", 401, () -> "not.a.jwt"),
                // oversized headers and bodies
                parserRefusal("headers past the server's 128 KiB", () -> request("GET", "/__runner/tasks/tsk_x",
                        Map.of("X-Big", "a".repeat(200 * 1024)), null)),
                raw("one 100 KB header within the server's limit", 404, () -> request("GET", "/__runner/tasks/tsk_x",
                        Map.of("X-Big", "a".repeat(100 * 1024)), null)),
                raw("body declared larger than the limit", 413, () -> taskPost("{\"input\": 1}".length(), "{\"input\": 1}",
                        Long.toString(MAX_BODY + 1L))),
                raw("body larger than the limit, chunked", 413, HostileInputIT::chunkedOversizedBody),
                // path tricks
                raw("encoded slashes", 404, () -> request("GET", "/__runner/tasks/..%2F..%2Fapi%2Fagents", Map.of(), null)),
                raw("dot segments", 404, () -> request("GET", "/__runner/tasks/../../api/agents/x/y", Map.of(), null)),
                raw("double encoding", 404, () -> request("GET", "/__runner/tasks/%252e%252e%252fapi", Map.of(), null)),
                raw("overlong UTF-8 dots in a task name", 404, () -> request("POST", "/__runner/task/%c0%ae%c0%ae",
                        Map.of("Authorization", "Bearer " + validToken, "Content-Type", "application/json"), "{\"input\": 1}")),
                raw("overlong UTF-8 dots in a task id", 404, () -> request("GET", "/__runner/tasks/%c0%ae%c0%ae%2f",
                        Map.of("Authorization", "Bearer " + validToken), null)),
                raw("NUL byte in the path", 404, () -> request("GET", "/__runner/tasks/tsk_%00", Map.of(), null)),
                raw("task name with traversal", 404, () -> request("POST", "/__runner/task/..%2Fecho.run",
                        Map.of("Authorization", "Bearer " + validToken, "Content-Type", "application/json"), "{\"input\": 1}")),
                // JSON bombs
                json("deep nesting", 400, "{\"input\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}"),
                json("nesting past the documented 64 levels", 400, "{\"input\": " + "[".repeat(70) + "]".repeat(70) + "}"),
                json("number of 1,000 digits", 400, "{\"input\": " + "9".repeat(1_000) + "}"),
                json("exponent past BigDecimal", 400, "{\"input\": 1e9999999999}"),
                json("string longer than the body limit", 413, "{\"input\": \"" + "x".repeat(MAX_BODY) + "\"}"),
                json("duplicate keys", 400, "{\"input\": 1, \"input\": 2}"),
                json("duplicate keys inside input", 400, "{\"input\": {\"to\": \"a\", \"to\": \"b\"}}"),
                json("not UTF-8", 400, "{\"input\": \"\u00ff\u00fe\"}", StandardCharsets.ISO_8859_1),
                json("truncated", 400, "{\"input\": [1, 2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldAnswerWithAClient4xxInTheErrorShape(Case hostile) throws IOException {
        RawHttp.Answer answer = RawHttp.send(ingress.port(), InetAddress.getLoopbackAddress(), hostile.sent().get(),
                ANSWER_TIMEOUT, false);
        String codeName = answer.status() > 0 && answer.body().startsWith("{") ? answer.json().at("/error/codeName").asText() : "-";
        RESULTS.add(hostile.name() + " | " + answer.status() + " | " + codeName);

        assertEquals(hostile.expected(), answer.status(), answer.body());
        if (!hostile.shaped()) {
            return;
        }
        JsonNode body = answer.json();
        assertFalse(body.get("ok").asBoolean());
        assertEquals(answer.status(), body.at("/error/code").asInt());
        assertFalse(body.at("/error/codeName").asText().isEmpty());
        assertFalse(body.get("request_id").asText().isEmpty());
    }

    @Test
    void shouldDropASlowlorisConnection() throws IOException {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            Instant started = Instant.now();
            boolean dropped = false;
            while (!dropped && Duration.between(started, Instant.now()).compareTo(HEADER_TIMEOUT.multipliedBy(10)) < 0) {
                try {
                    out.write("X-a: b\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    dropped = readsEndOfStream(socket, Duration.ofMillis(300));
                } catch (SocketException e) {
                    dropped = true;
                }
            }
            RESULTS.add("slowloris (one header line every 300 ms) | dropped=" + dropped + " after "
                    + Duration.between(started, Instant.now()).toMillis() + " ms | -");
            assertTrue(dropped, "the connection stayed open");
        }
    }

    @Test
    void shouldDropOrRefuseABodyThatGoesSilent() throws IOException {
        try (Socket socket = connect()) {
            String head = "POST /__runner/task/echo.run HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + validToken
                    + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"input\": ";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            Instant started = Instant.now();
            socket.setSoTimeout((int) ANSWER_TIMEOUT.toMillis());
            byte[] answer = socket.getInputStream().readAllBytes();
            String text = new String(answer, StandardCharsets.UTF_8);
            RESULTS.add("body silent after 10 of 100 bytes | " + (text.isEmpty() ? "closed" : text.substring(9, 12)) + " after "
                    + Duration.between(started, Instant.now()).toMillis() + " ms | -");
            assertTrue(text.isEmpty() || text.startsWith("HTTP/1.1 400"), text);
            assertFalse(text.startsWith("HTTP/1.1 413") || text.startsWith("HTTP/1.1 5"), text);
        }
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void shouldNeverLogASecret() {
        String logs = LOGS.toString(StandardCharsets.UTF_8);
        assertFalse(logs.isEmpty(), "logs were captured");
        for (String secret : List.of(ADMIN_TOKEN, HMAC_SECRET, validToken, validToken.substring(validToken.lastIndexOf('.') + 1))) {
            assertFalse(logs.contains(secret), "a log line holds a secret");
        }
    }

    // --- building the requests

    private static Arguments token(String name, int expected, java.util.function.Supplier<String> forged) {
        return Arguments.of(new Case("token: " + name, expected, true, () -> request("POST", "/__runner/task/echo.run",
                Map.of("Authorization", "Bearer " + forged.get(), "Content-Type", "application/json"), "{\"input\": 1}")));
    }

    private static Arguments raw(String name, int expected, java.util.function.Supplier<byte[]> request) {
        return Arguments.of(new Case(name, expected, true, request));
    }

    private static Arguments parserRefusal(String name, java.util.function.Supplier<byte[]> request) {
        return Arguments.of(new Case(name, 400, false, request));
    }

    private static Arguments json(String name, int expected, String body) {
        return json(name, expected, body, StandardCharsets.UTF_8);
    }

    private static Arguments json(String name, int expected, String body, java.nio.charset.Charset charset) {
        return Arguments.of(new Case("json: " + name, expected, true, () -> {
            byte[] bytes = body.getBytes(charset);
            return concat(head("POST", "/__runner/task/echo.run", Map.of("Authorization", "Bearer " + validToken,
                    "Content-Type", "application/json", "Content-Length", Integer.toString(bytes.length))), bytes);
        }));
    }

    private static byte[] request(String method, String path, Map<String, String> headers, String body) {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        if (body != null) {
            all.put("Content-Length", Integer.toString(bytes.length));
        }
        return concat(head(method, path, all), bytes);
    }

    private static byte[] taskPost(int length, String body, String declaredLength) {
        return concat(head("POST", "/__runner/task/echo.run", Map.of("Authorization", "Bearer " + validToken,
                "Content-Type", "application/json", "Content-Length", declaredLength)), body.substring(0, length).getBytes(StandardCharsets.UTF_8));
    }

    /** A chunked body a little past the limit: counted by ingress, so it gets its 413 like a declared one. */
    private static byte[] chunkedOversizedBody() {
        StringBuilder chunks = new StringBuilder();
        String opening = "{\"input\": \"";
        chunks.append(Integer.toHexString(opening.length())).append("\r\n").append(opening).append("\r\n");
        String rest = "x".repeat(MAX_BODY + 100 - opening.length());
        chunks.append(Integer.toHexString(rest.length())).append("\r\n").append(rest).append("\r\n");
        chunks.append("2\r\n\"}\r\n0\r\n\r\n");
        return concat(head("POST", "/__runner/task/echo.run", Map.of("Authorization", "Bearer " + validToken,
                "Content-Type", "application/json", "Transfer-Encoding", "chunked")), chunks.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] head(String method, String path, Map<String, String> headers) {
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Connection: close\r\n\r\n");
        return head.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    // --- forging tokens with nimbus-jose-jwt (ingress verifies with jjwt)

    private static JWTClaimsSet claims(String subject, String issuer, String audience, long expiresInS, long notBeforeInS) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().subject(subject).issuer(issuer).audience(audience)
                .claim("tools", List.of("*")).claim("actions", List.of("*"))
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now.plusSeconds(notBeforeInS)))
                .expirationTime(Date.from(now.plusSeconds(expiresInS))).jwtID(UUID.randomUUID().toString()).build();
    }

    private static byte[] secret() {
        return HMAC_SECRET.getBytes(StandardCharsets.UTF_8);
    }

    private static String hmac(JWTClaimsSet claims, String kid, byte[] key) {
        try {
            byte[] padded = key.length >= 32 ? key : java.util.Arrays.copyOf(key, 32);
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new MACSigner(padded));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.security.KeyPair edKeys() {
        try {
            return java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey rsaKey() {
        try {
            return new RSAKeyGenerator(2048).keyID(KID).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] rsaPublicKeyBytes() {
        try {
            return rsaKey().toRSAPublicKey().getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signed with the JDK's Ed25519, as nimbus needs Tink for it; the header and claims are nimbus's. */
    private static String edDsaToken() {
        try {
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            String signingInput = b64.encodeToString(new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID(KID).build().toString()
                    .getBytes(StandardCharsets.UTF_8)) + "." + b64.encodeToString(claims(agentId, ISSUER, ISSUER, 600, 0).toString()
                    .getBytes(StandardCharsets.UTF_8));
            java.security.Signature ed25519 = java.security.Signature.getInstance("Ed25519");
            ed25519.initSign(edKeys().getPrivate());
            ed25519.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64.encodeToString(ed25519.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String rsaToken() {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KID).build(),
                    claims(agentId, ISSUER, ISSUER, 600, 0));
            jwt.sign(new RSASSASigner(rsaKey()));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The valid token with another subject in its payload and its own signature kept. */
    private static String tamperedToken() {
        String[] parts = validToken.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace(agentId, "agt_someone_else");
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
    }

    // --- sockets

    private static Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), ingress.port()), 5_000);
        return socket;
    }

    private static boolean readsEndOfStream(Socket socket, Duration wait) throws IOException {
        socket.setSoTimeout((int) wait.toMillis());
        InputStream in = socket.getInputStream();
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }

    /** Writes to the real stream and keeps a copy, so the test sees every log line. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final ByteArrayOutputStream copy;

        Tee(OutputStream first, ByteArrayOutputStream copy) {
            this.first = first;
            this.copy = copy;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            synchronized (copy) {
                copy.write(b);
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            first.write(bytes, offset, length);
            synchronized (copy) {
                copy.write(bytes, offset, length);
            }
        }
    }
}
