package io.taskgate.launcher.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.launcher.dev.DevEnvironment;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.KafkaSettings;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.kafka.TopicPartitions;
import io.taskgate.platform.ops.Metrics;
import io.taskgate.platform.secrets.SecretsFile;
import io.taskgate.platform.secrets.SecretsKey;
import io.taskgate.testing.Await;
import io.taskgate.testing.HttpDriver;
import io.taskgate.testing.HttpDriver.Response;
import io.taskgate.testing.TeeOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Every tool that holds a secret is called through ingress, successfully and not, against
 * services that quote back everything they were sent; then every log line, every record of every
 * topic, every cell of the audit database and every HTTP response of the run is searched for the
 * secrets (as they are, URL-encoded and base64-encoded): no hit.
 */
class SecretLeakIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String SERPAPI_KEY = "serp+canary/4f1a9c0d";
    private static final String OPENAI_KEY = "sk-canary-openai-8e2b71f4";
    private static final String SMTP_PASSWORD = "smtp-canary-pass-53d9e2";
    private static final String ROUTE_SECRET = "route-canary-secret-a61f07";
    private static final List<String> SECRETS = List.of(SERPAPI_KEY, OPENAI_KEY, SMTP_PASSWORD, ROUTE_SECRET);

    @TempDir
    Path dir;

    private final List<Response> responses = new ArrayList<>();

    @Test
    void shouldKeepEveryToolSecretOutOfLogsTopicsTheAuditDatabaseAndResponses() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        PrintStream originalOut = System.out;
        ch.qos.logback.classic.Logger taskgate = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.taskgate");
        Level level = taskgate.getLevel();
        // The console appender writes to whatever System.err is at each line; DEBUG shows what INFO hides.
        System.setErr(new PrintStream(new TeeOutputStream(originalErr, log), true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(new TeeOutputStream(originalOut, log), true, StandardCharsets.UTF_8));
        taskgate.setLevel(Level.DEBUG);
        Searched searched;
        try {
            searched = runAndSearch();
        } finally {
            taskgate.setLevel(level);
            System.setErr(originalErr);
            System.setOut(originalOut);
        }
        List<String> logLines = log.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(logLines.stream().anyMatch(line -> line.contains("worker of pool default started")), "the log was captured");
        List<String> hits = new ArrayList<>(searched.hits());
        logLines.forEach(line -> hits.addAll(find("log line", line)));
        System.out.printf("secret-leak search: %d log lines, %d records of %d topics, %d audit rows (%d cells), "
                        + "%d HTTP responses (%d headers): %d hits%n", logLines.size(), searched.records(), searched.topics(),
                searched.rows(), searched.cells(), responses.size(), searched.headers(), hits.size());
        assertEquals(List.of(), hits, "no secret anywhere");
    }

    private Searched runAndSearch() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        String kekBase64 = Base64.getEncoder().encodeToString(kek);
        SecretsFile secrets = new SecretsFile(SecretsFile.in(data), SecretsKey.fromBase64(kekBase64), new SecureRandom());
        secrets.set("serpapi_api_key", SERPAPI_KEY);
        secrets.set("openai_api_key", OPENAI_KEY);
        secrets.set("smtp_password", SMTP_PASSWORD);
        secrets.set("users_backend", ROUTE_SECRET);

        try (HostileApis apis = new HostileApis(); HostileSmtpServer smtp = new HostileSmtpServer(SMTP_PASSWORD)) {
            Path policy = dir.resolve("policy.yaml");
            Files.writeString(policy, """
                    version: 1
                    defaults:
                      rate_limit: 6000/minute
                    tasks:
                      users.*:
                        route: %s/users
                        route_secret: users_backend
                    """.formatted(apis.baseUrl()));
            Map<Setting, String> settings = new EnumMap<>(Setting.class);
            settings.put(Setting.DATA_DIR, data.toString());
            settings.put(Setting.PORT, "0");
            settings.put(Setting.AUDIT_PORT, "0");
            settings.put(Setting.POLICY_FILE, policy.toString());
            settings.put(Setting.KEK_BASE64, kekBase64);
            settings.put(Setting.HTTP_FETCH_ALLOW_PRIVATE, "true");
            settings.put(Setting.SERPAPI_URL, apis.baseUrl());
            settings.put(Setting.OPENAI_BASE_URL, apis.baseUrl() + "/v1");
            settings.put(Setting.SMTP_HOST, "127.0.0.1");
            settings.put(Setting.SMTP_PORT, String.valueOf(smtp.port()));
            settings.put(Setting.SMTP_FROM, "gateway@taskgate.test");
            settings.put(Setting.SMTP_USERNAME, "gateway");
            settings.put(Setting.SMTP_STARTTLS, "off");
            settings.put(Setting.TOOLS, "{serpapi: {retries: 1}, openai: {retries: 0}, route: {retries: 0}}");
            try (DevEnvironment dev = DevEnvironment.start(ConfigSource.of(settings), Metrics.newRegistry("test"), Clock.systemUTC())) {
                HttpDriver http = new HttpDriver(dev.ingressUrl());
                String admin = dev.adminToken();
                String agent = http.createAgent(admin, "{\"name\": \"leak-bot\", \"tools\": [\"serpapi\", \"openai\", \"email\", \"users\"],"
                        + " \"actions\": [\"*\"]}");
                String token = http.mintToken(admin, agent, "{\"expires_in\": 3600}");

                Map<String, String> ended = new LinkedHashMap<>();
                ended.put(call(http, token, "serpapi.search", "{\"q\": \"kafka\"}", "succeeded"), "serpapi ok");
                ended.put(call(http, token, "serpapi.search", "{\"q\": \"fail\"}", "failed"), "serpapi 400");
                ended.put(call(http, token, "serpapi.search", "{\"q\": \"boom\"}", "failed"), "serpapi 503");
                ended.put(call(http, token, "openai.chat", messages("hello"), "succeeded"), "openai ok");
                ended.put(call(http, token, "openai.chat", messages("fail"), "failed"), "openai 400");
                ended.put(call(http, token, "openai.chat", messages("deny"), "failed"), "openai 401");
                ended.put(call(http, token, "email.send",
                        "{\"to\": [\"ann@example.test\", \"echo@example.test\"], \"subject\": \"Hi\", \"text\": \"x\"}", "succeeded"),
                        "email partly refused");
                ended.put(call(http, token, "email.send", "{\"to\": [\"echo@example.test\"], \"subject\": \"Hi\", \"text\": \"x\"}",
                        "failed"), "email refused");
                ended.put(call(http, token, "users.create", "{\"name\": \"ann\"}", "succeeded"), "route ok");
                ended.put(call(http, token, "users.create", "{\"fail\": true}", "failed"), "route 422");
                assertEquals(1, smtp.delivered(), "the mail to the address the server took was sent");
                assertTrue(apis.calls() >= 9, "every outside service was called: " + apis.calls());

                for (String taskId : ended.keySet()) {
                    responses.add(http.getTask(token, taskId, ""));
                    responses.add(http.get("/api/audit?task_id=" + taskId, HttpDriver.bearer(admin)));
                }
                Path database = data.resolve("audit.db");
                Await.until("the audit sink stored every task's end", () -> storedEnds(database, ended.keySet()) == ended.size(),
                        DEADLINE);
                List<String> hits = new ArrayList<>();
                int[] topicCounts = searchTopics(new KafkaClients(KafkaSettings.from(dev.config())), hits);
                int[] dbCounts = searchDatabase(database, hits);
                int headers = searchResponses(hits);
                return new Searched(hits, topicCounts[0], topicCounts[1], dbCounts[0], dbCounts[1], headers);
            }
        }
    }

    private static String messages(String content) {
        return "{\"messages\": [{\"role\": \"user\", \"content\": \"" + content + "\"}]}";
    }

    /** Posts one task, waits for its end, checks how it ended, and keeps the response; the task id. */
    private String call(HttpDriver http, String token, String name, String input, String expected) {
        Response answered = http.postTask(token, name, "{\"input\": " + input + "}", "Prefer", "wait=30");
        responses.add(answered);
        assertEquals(200, answered.statusCode(), answered::toString);
        JsonNode task = answered.json();
        assertEquals(expected, task.path("status").asText(), () -> name + " " + input + ": " + answered);
        return task.path("task_id").asText();
    }

    private static int storedEnds(Path database, Set<String> taskIds) {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
             PreparedStatement query = connection.prepareStatement(
                     "SELECT COUNT(DISTINCT task_id) FROM audit_records WHERE task_id = ? AND action IN ('task.succeeded', 'task.failed')")) {
            int stored = 0;
            for (String taskId : taskIds) {
                query.setString(1, taskId);
                try (ResultSet rows = query.executeQuery()) {
                    stored += rows.next() ? rows.getInt(1) : 0;
                }
            }
            return stored;
        } catch (SQLException e) {
            return -1;
        }
    }

    /** Every record (key, value, headers) of every topic but Kafka's own; the records and topics searched. */
    private static int[] searchTopics(KafkaClients clients, List<String> hits) throws Exception {
        Set<String> topics;
        try (Admin admin = clients.newAdmin("leak-search")) {
            topics = new LinkedHashSet<>(admin.listTopics().names().get(30, TimeUnit.SECONDS));
        }
        topics.removeIf(topic -> topic.startsWith("__"));
        int records = 0;
        for (String topic : topics) {
            try (Consumer<byte[], byte[]> consumer = clients.newConsumer("leak-search-" + UUID.randomUUID(), null)) {
                List<TopicPartition> partitions = TopicPartitions.assignFromStart(consumer, topic, DEADLINE);
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
                List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
                Await.until(() -> "read " + topic + " to its end", () -> {
                    consumer.poll(Duration.ofMillis(100)).forEach(read::add);
                    return partitions.stream().allMatch(partition -> consumer.position(partition) >= ends.get(partition));
                }, DEADLINE);
                for (ConsumerRecord<byte[], byte[]> record : read) {
                    StringBuilder text = new StringBuilder();
                    text.append(string(record.key())).append('\n').append(string(record.value()));
                    for (Header header : record.headers()) {
                        text.append('\n').append(header.key()).append(": ").append(string(header.value()));
                    }
                    hits.addAll(find(topic + " record", text.toString()));
                }
                records += read.size();
            }
        }
        assertTrue(records > 0);
        return new int[] {records, topics.size()};
    }

    /** Every cell of every table of the audit database; the rows and cells searched. */
    private static int[] searchDatabase(Path database, List<String> hits) throws SQLException {
        int rows = 0;
        int cells = 0;
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database)) {
            List<String> tables = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                 ResultSet names = statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                while (names.next()) {
                    tables.add(names.getString(1));
                }
            }
            for (String table : tables) {
                try (Statement statement = connection.createStatement();
                     ResultSet result = statement.executeQuery("SELECT * FROM \"" + table + "\"")) {
                    int columns = result.getMetaData().getColumnCount();
                    while (result.next()) {
                        rows++;
                        for (int column = 1; column <= columns; column++) {
                            cells++;
                            hits.addAll(find(table + " row", String.valueOf(result.getString(column))));
                        }
                    }
                }
            }
            assertTrue(tables.contains("audit_records"), "tables: " + tables);
        }
        return new int[] {rows, cells};
    }

    /** Status, headers and body of every response the test received; the headers searched. */
    private int searchResponses(List<String> hits) {
        int headers = 0;
        for (Response response : responses) {
            StringBuilder text = new StringBuilder().append(response.statusCode()).append('\n');
            for (Map.Entry<String, List<String>> header : response.headers().map().entrySet()) {
                headers++;
                text.append(header.getKey()).append(": ").append(String.join(", ", header.getValue())).append('\n');
            }
            hits.addAll(find("HTTP response", text.append(response.body()).toString()));
        }
        return headers;
    }

    /** Where a text carries a secret, as it is, URL-encoded or base64-encoded. */
    private static List<String> find(String where, String text) {
        List<String> found = new ArrayList<>();
        for (String secret : SECRETS) {
            for (String form : List.of(secret, URLEncoder.encode(secret, StandardCharsets.UTF_8),
                    Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)))) {
                if (text.contains(form)) {
                    found.add(where + ": " + (text.length() > 400 ? text.substring(0, 400) + "..." : text));
                }
            }
        }
        return found;
    }

    private static String string(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }

    private record Searched(List<String> hits, int records, int topics, int rows, int cells, int headers) {
    }
}
