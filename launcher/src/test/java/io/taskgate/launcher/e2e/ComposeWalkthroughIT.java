package io.taskgate.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.audit.AuditSinkService;
import io.taskgate.launcher.compose.ComposeFile;
import io.taskgate.launcher.run.Readiness;
import io.taskgate.launcher.run.Running;
import io.taskgate.launcher.run.Services;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.ops.Metrics;
import io.taskgate.policy.PolicyStreamService;
import io.taskgate.testing.Await;
import io.taskgate.testing.HttpDriver;
import io.taskgate.testing.LocalPostgres;
import io.taskgate.testing.HttpDriver.Response;
import io.taskgate.testing.TestKafka;
import io.taskgate.testing.WithKafka;
import io.taskgate.workers.WorkerService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose.yml without Docker: every Taskgate service of the file (three workers, two
 * ingress) started in this JVM with the environment the file gives it, interpolated as Compose
 * does, each service's host mapped to 127.0.0.1 on a free port, Kafka to an embedded broker and
 * PostgreSQL to the local server (127.0.0.1:5432; its own user and database, a fresh schema); the
 * topic prefix is the class's own on the tests' shared broker, the file's only change. Then
 * every health check of the file answers and the walkthrough passes across both ingress instances.
 * The nginx proxy is not started (no nginx here); ComposeFileTest checks that it reaches both.
 */
@WithKafka
class ComposeWalkthroughIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final List<String> START_ORDER = List.of("audit-sink", "policy", "worker", "ingress");
    private static final Map<String, String> VARIABLES = Map.of(
            "TASKGATE_ADMIN_TOKEN", "compose-admin-" + UUID.randomUUID(),
            "TASKGATE_TOKEN_HMAC_SECRET", "compose-hmac-" + UUID.randomUUID() + UUID.randomUUID(),
            "POSTGRES_PASSWORD", "unused-by-the-local-server");

    @TempDir
    static Path dir;

    static String schema;
    static String jdbcUrl;
    static final Running running = new Running();
    static final Map<String, URI> healthChecks = new LinkedHashMap<>();
    static final Map<String, HttpDriver> ingress = new LinkedHashMap<>();

    @BeforeAll
    static void startTheComposeFilesServices(TestKafka kafka) {
        LocalPostgres.require();
        schema = LocalPostgres.newSchemaName("compose_audit");
        jdbcUrl = LocalPostgres.freshSchemaUrl(schema);
        ComposeFile compose = ComposeFile.load();

        Map<String, String> addresses = new HashMap<>();
        addresses.put("kafka:9092", kafka.bootstrapServers());
        for (ComposeFile.Service service : compose.taskgateServices()) {
            if (service.replicas() == 1) {
                addresses.put(service.name() + ":" + service.environment().get(service.portSetting().envName()), "127.0.0.1:" + freePort());
            }
        }
        List<ComposeFile.Service> services = new ArrayList<>(compose.taskgateServices());
        services.sort(Comparator.comparingInt(service -> START_ORDER.indexOf(service.command().get(0))));
        for (ComposeFile.Service service : services) {
            for (int replica = 1; replica <= service.replicas(); replica++) {
                start(service, replica, addresses, kafka.topics().prefix());
            }
        }
        Readiness.await(running, Duration.ofSeconds(90));
    }

    @AfterAll
    static void stopEverything() {
        running.close();
        if (schema != null) {
            LocalPostgres.dropSchema(schema);
        }
    }

    private static void start(ComposeFile.Service service, int replica, Map<String, String> addresses, String topicPrefix) {
        String instance = service.name() + (service.replicas() > 1 ? "-" + replica : "");
        Map<String, String> environment = new HashMap<>();
        service.environment().forEach((name, value) -> environment.put(name, mapHosts(ComposeFile.interpolate(value, VARIABLES), addresses)));
        Setting portSetting = service.portSetting();
        String written = service.name() + ":" + service.environment().get(portSetting.envName());
        int port = service.replicas() == 1 ? Integer.parseInt(addresses.get(written).split(":")[1]) : freePort();
        environment.put(portSetting.envName(), String.valueOf(port));
        // What the container's own filesystem would be.
        environment.put(Setting.DATA_DIR.envName(), dir.resolve(instance).toString());
        environment.put(Setting.TOPIC_PREFIX.envName(), topicPrefix);
        if (environment.containsKey(Setting.AUDIT_JDBC_URL.envName())) {
            environment.put(Setting.AUDIT_JDBC_URL.envName(), jdbcUrl);
        }
        ConfigSource config = ConfigSource.load(environment);
        List<String> command = service.command();
        if (command.contains("--pool")) {
            config = config.with(Map.of(Setting.WORKER_POOL, command.get(command.indexOf("--pool") + 1)));
        }
        Services services = new Services(config, Metrics.newRegistry("compose"), Clock.systemUTC(), running);
        switch (command.get(0)) {
            case "audit-sink" -> {
                AuditSinkService sink = services.auditSink();
                services.opsServer(Setting.AUDIT_PORT, sink::isReady, sink.routes());
            }
            case "policy" -> {
                PolicyStreamService policy = services.policy();
                services.opsServer(Setting.POLICY_PORT, policy::isReady, null);
            }
            case "worker" -> {
                WorkerService worker = services.worker();
                services.opsServer(Setting.WORKER_PORT, worker::isReady, null);
            }
            case "ingress" -> {
                services.ingress();
                ingress.put(instance, new HttpDriver(port));
            }
            default -> throw new IllegalArgumentException("unknown command " + command);
        }
        URI writtenHealth = URI.create(service.healthcheckUrl());
        healthChecks.put(instance, URI.create("http://127.0.0.1:" + port + writtenHealth.getPath()));
    }

    private static String mapHosts(String value, Map<String, String> addresses) {
        String mapped = value;
        for (Map.Entry<String, String> address : addresses.entrySet()) {
            mapped = mapped.replace(address.getKey(), address.getValue());
        }
        return mapped;
    }

    @Test
    void shouldAnswerEveryHealthCheckOfTheFile() {
        assertEquals(7, healthChecks.size(), healthChecks::toString);
        HttpClient client = HttpClient.newHttpClient();
        for (Map.Entry<String, URI> check : healthChecks.entrySet()) {
            // Docker retries a health check; an instance may be rebalancing for a moment when another joins.
            HttpResponse<String> response = Await.value(check.getKey() + " healthy at " + check.getValue(),
                    () -> get(client, check.getValue()), answer -> answer.statusCode() == 200, DEADLINE);
            assertTrue(response.body().contains("\"kafka\":\"up\""), check.getKey() + ": " + response.body());
        }
    }

    private static HttpResponse<String> get(HttpClient client, URI uri) {
        try {
            return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldRunTheWalkthroughAcrossBothIngressInstances() {
        assertEquals(List.of("ingress-1", "ingress-2"), List.copyOf(ingress.keySet()));
        HttpDriver first = ingress.get("ingress-1");
        HttpDriver second = ingress.get("ingress-2");
        String admin = VARIABLES.get("TASKGATE_ADMIN_TOKEN");
        String agentId = first.createAgent(admin, "{\"name\": \"compose-bot\", \"tools\": [\"echo\"], \"actions\": [\"*\"]}");
        String token = second.mintToken(admin, agentId, "{\"tools\": [\"echo\"], \"actions\": [\"*\"], \"expires_in\": 3600}");

        Response accepted = Await.value("ingress-2 to accept the task (once it knows the agent)",
                () -> second.postTask(token, "echo.run", "{\"input\": {\"msg\": \"composed\"}}"),
                response -> response.statusCode() == 202, DEADLINE);
        String taskId = accepted.json().get("task_id").asText();
        JsonNode done = Await.value("the task to succeed", () -> first.getTask(token, taskId, "?wait=10"),
                response -> "succeeded".equals(response.json().path("status").asText()), DEADLINE).json();
        assertEquals("composed", done.path("result").path("msg").asText());

        Await.value("the task's success through ingress's audit proxy",
                () -> first.get("/api/audit?task_id=" + taskId + "&limit=50", HttpDriver.bearer(admin)),
                response -> response.statusCode() == 200 && response.json().toString().contains("task.succeeded"), DEADLINE);
        assertTrue(auditRows(taskId) >= 3, "the audit trail of the task is not in PostgreSQL");
    }

    private static long auditRows(String taskId) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
             PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM audit_records WHERE task_id = ?")) {
            query.setString(1, taskId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
