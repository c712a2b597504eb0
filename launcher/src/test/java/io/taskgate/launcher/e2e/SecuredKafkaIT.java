package io.taskgate.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.audit.AuditSinkService;
import io.taskgate.kafka.embedded.ExtraListeners;
import io.taskgate.launcher.access.KafkaAccessDenied;
import io.taskgate.launcher.run.Readiness;
import io.taskgate.launcher.run.Running;
import io.taskgate.launcher.run.Services;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.KafkaSettings;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.kafka.TopicProvisioner;
import io.taskgate.platform.ops.Metrics;
import io.taskgate.platform.ops.OpsServer;
import io.taskgate.platform.config.Setting;
import io.taskgate.schemas.topics.Topics;
import io.taskgate.testing.Await;
import io.taskgate.testing.HttpDriver;
import io.taskgate.testing.HttpDriver.Response;
import io.taskgate.testing.PrivateKafka;
import io.taskgate.testing.TestKafka;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every service against a broker that speaks only SASL_SSL to clients (a CA and broker certificate
 * made here, SCRAM-SHA-512 users) and authorizes with StandardAuthorizer denying what no ACL allows.
 * Each service runs as its own user holding exactly the ACLs the README lists for it, configured
 * through TASKGATE_KAFKA_* variables only; the walkthrough passes, and a user missing one ACL stops
 * its service at start with one line naming it.
 */
class SecuredKafkaIT {
    private static final String LISTENER = "SECURED";
    private static final String ADMIN_USER = "admin";
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String POOL = Topics.DEFAULT_POOL;
    private static final String ADMIN_TOKEN = "admin-token-" + UUID.randomUUID();
    private static final String HMAC = "hmac-secret-" + UUID.randomUUID() + UUID.randomUUID();

    @TempDir
    static Path dir;

    @RegisterExtension
    static final PrivateKafka kafka = PrivateKafka.forClass();

    static TestCertificates certificates;
    static TestKafka plaintext;
    static final Map<String, String> passwords = new HashMap<>();
    static final Running running = new Running();
    static HttpDriver http;

    @BeforeAll
    static void startSecuredClusterAndEveryService() throws Exception {
        certificates = TestCertificates.create(dir);
        plaintext = kafka.start(List.of(POOL), securedBroker());
        for (String user : List.of(ADMIN_USER, "ingress", "policy-stream", "worker", "audit-sink", "audit-sink-no-read", "worker-no-group")) {
            passwords.put(user, "pw-" + UUID.randomUUID());
        }
        createScramUsers();
        ReadmeAcls acls = ReadmeAcls.fromRepository();
        try (Admin admin = Admin.create(new HashMap<>(clientProperties(ADMIN_USER)))) {
            Topics topics = new Topics(Topics.DEFAULT_PREFIX);
            new TopicProvisioner(admin, TopicProvisioner.BROKER_DEFAULT_REPLICATION)
                    .ensure(topics.all(List.of(POOL)), DEADLINE);
            List<AclBinding> bindings = new ArrayList<>();
            for (String service : List.of("ingress", "policy-stream", "worker", "audit-sink")) {
                bindings.addAll(acls.forService(service, service, POOL));
            }
            acls.forService("audit-sink", "audit-sink-no-read", POOL).stream()
                    .filter(binding -> !(binding.pattern().resourceType() == ResourceType.TOPIC
                            && binding.pattern().name().equals(topics.audit().name())
                            && binding.entry().operation() == AclOperation.READ))
                    .forEach(bindings::add);
            acls.forService("worker", "worker-no-group", POOL).stream()
                    .filter(binding -> binding.pattern().resourceType() != ResourceType.GROUP)
                    .forEach(bindings::add);
            admin.createAcls(bindings).all().get(30, TimeUnit.SECONDS);
            Await.value("ACLs in force", () -> describedAcls(admin), count -> count == bindings.size(), DEADLINE);
        }

        Services sinkServices = services("audit-sink", Map.of());
        AuditSinkService sink = sinkServices.auditSink();
        OpsServer sinkHttp = sinkServices.opsServer(Setting.AUDIT_PORT, sink::isReady, sink.routes());
        services("policy-stream", Map.of()).policy();
        services("worker", Map.of()).worker();
        int ingressPort = services("ingress", Map.of(Setting.AUDIT_URL, "http://127.0.0.1:" + sinkHttp.port())).ingress().port();
        Readiness.await(running, DEADLINE);
        http = new HttpDriver(ingressPort);
    }

    @AfterAll
    static void stopEverything() {
        running.close();
    }

    @Test
    void shouldRunTheWalkthroughWithEveryServiceUnderItsOwnUser() {
        String agentId = http.createAgent(ADMIN_TOKEN, "{\"name\": \"secured-bot\", \"tools\": [\"echo\"], \"actions\": [\"*\"]}");
        String token = http.mintToken(ADMIN_TOKEN, agentId, "{\"tools\": [\"echo\"], \"actions\": [\"*\"], \"expires_in\": 3600}");

        Response accepted = http.postTask(token, "echo.run", "{\"input\": {\"msg\": \"over SASL_SSL\"}}");
        assertEquals(202, accepted.statusCode(), accepted::toString);
        String taskId = accepted.json().get("task_id").asText();
        JsonNode done = Await.value("the task to succeed", () -> http.getTask(token, taskId, "?wait=10"),
                response -> "succeeded".equals(response.json().path("status").asText()), DEADLINE).json();
        assertEquals("over SASL_SSL", done.path("result").path("msg").asText());

        JsonNode audit = Await.value("the task's success in the audit trail",
                () -> http.get("/api/audit?task_id=" + taskId + "&limit=50", HttpDriver.bearer(ADMIN_TOKEN)),
                response -> response.statusCode() == 200 && response.json().toString().contains("task.succeeded"), DEADLINE).json();
        assertTrue(audit.toString().contains("task.accepted"), audit::toString);
    }

    @Test
    void shouldStopAtStartNamingTheAclItsUserLacks() {
        Running other = new Running();
        try {
            Services withoutRead = new Services(config("audit-sink-no-read", Map.of()), Metrics.newRegistry("test"),
                    Clock.systemUTC(), other);
            KafkaAccessDenied denied = assertThrows(KafkaAccessDenied.class, withoutRead::auditSink);
            assertEquals("kafka: this service's user may not READ topic taskgate.audit (missing ACL)", denied.getMessage());
            assertFalse(denied.getMessage().contains("\n"));
        } finally {
            other.close();
        }
    }

    @Test
    void shouldNameAMissingConsumerGroupAcl() {
        assertEquals("kafka: this service's user may not READ group taskgate-workers-default (missing ACL)",
                startFailure(environment("worker-no-group")));
    }

    @Test
    void shouldStopAtStartInOneLineWhenThePasswordIsWrong() {
        Map<String, String> environment = environment("worker");
        environment.put("TASKGATE_KAFKA_SASL_JAAS_CONFIG", jaas("worker", "not-the-password"));
        String failure = startFailure(environment);
        assertEquals("kafka: cannot log in to " + kafka.bootstrapServers(LISTENER) + ": Authentication failed during authentication "
                + "due to invalid credentials with SASL mechanism SCRAM-SHA-512", failure);
    }

    @Test
    void shouldStopAtStartInOneLineWhenTheBrokersCertificateIsNotTrusted() {
        TestCertificates otherCa = TestCertificates.create(dir.resolve("other-ca-" + UUID.randomUUID()));
        Map<String, String> environment = environment("worker");
        environment.put("TASKGATE_KAFKA_SSL_TRUSTSTORE_LOCATION", otherCa.truststore().toString());
        environment.put("TASKGATE_KAFKA_SSL_TRUSTSTORE_PASSWORD", otherCa.password());
        String failure = startFailure(environment);
        assertTrue(failure.startsWith("kafka: cannot log in to " + kafka.bootstrapServers(LISTENER) + ": SSL handshake failed ("),
                failure);
        assertTrue(failure.endsWith(")"), "the reason the handshake failed is missing: " + failure);
    }

    /** The message a worker started with this environment stops with; one line, naming no secret. */
    private static String startFailure(Map<String, String> environment) {
        Running other = new Running();
        try {
            Services services = new Services(ConfigSource.load(environment), Metrics.newRegistry("test"), Clock.systemUTC(), other);
            RuntimeException failure = assertThrows(RuntimeException.class, services::worker);
            assertFalse(failure.getMessage().contains("\n"), failure.getMessage());
            assertFalse(failure.getMessage().contains("password"), failure.getMessage());
            return failure.getMessage();
        } finally {
            other.close();
        }
    }

    private static ExtraListeners securedBroker() {
        String prefix = "listener.name." + LISTENER.toLowerCase() + ".";
        return ExtraListeners.none()
                .listener(LISTENER, "SASL_SSL")
                .setting(prefix + "ssl.keystore.location", certificates.brokerKeystore().toString())
                .setting(prefix + "ssl.keystore.password", certificates.password())
                .setting(prefix + "ssl.key.password", certificates.password())
                .setting(prefix + "ssl.keystore.type", "PKCS12")
                .setting(prefix + "sasl.enabled.mechanisms", "SCRAM-SHA-512")
                .setting(prefix + "scram-sha-512.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;")
                .setting("sasl.enabled.mechanisms", "SCRAM-SHA-512")
                .setting("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                .setting("allow.everyone.if.no.acl.found", "false")
                // The plaintext and controller listeners (127.0.0.1 only) carry the broker's own traffic as ANONYMOUS.
                .setting("super.users", "User:ANONYMOUS;User:" + ADMIN_USER);
    }

    /** SCRAM users are created over the plaintext listener: no SCRAM user exists yet to log in with. */
    private static void createScramUsers() throws Exception {
        List<UserScramCredentialAlteration> users = new ArrayList<>();
        passwords.forEach((user, password) -> users.add(new UserScramCredentialUpsertion(user,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)));
        try (Admin overPlaintext = plaintext.clients().newAdmin("test-scram-users")) {
            overPlaintext.alterUserScramCredentials(users).all().get(30, TimeUnit.SECONDS);
        }
        try (Admin admin = Admin.create(new HashMap<>(clientProperties(ADMIN_USER)))) {
            Await.until("the admin user to log in over SASL_SSL", () -> canLogIn(admin), DEADLINE);
        }
    }

    private static boolean canLogIn(Admin admin) {
        try {
            admin.describeCluster().clusterId().get(5, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static int describedAcls(Admin admin) {
        try {
            return admin.describeAcls(AclBindingFilter.ANY).values().get(5, TimeUnit.SECONDS).size();
        } catch (Exception e) {
            return -1;
        }
    }

    /** What an operator puts in the environment of a service running as {@code user}. */
    private static Map<String, String> environment(String user) {
        Map<String, String> env = new HashMap<>();
        env.put("TASKGATE_KAFKA_BOOTSTRAP", kafka.bootstrapServers(LISTENER));
        env.put("TASKGATE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
        env.put("TASKGATE_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
        env.put("TASKGATE_KAFKA_SASL_JAAS_CONFIG", jaas(user, passwords.get(user)));
        env.put("TASKGATE_KAFKA_SSL_TRUSTSTORE_LOCATION", certificates.truststore().toString());
        env.put("TASKGATE_KAFKA_SSL_TRUSTSTORE_PASSWORD", certificates.password());
        env.put("TASKGATE_KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12");
        env.put("TASKGATE_ADMIN_TOKEN", ADMIN_TOKEN);
        env.put("TASKGATE_TOKEN_HMAC_SECRET", HMAC);
        env.put("TASKGATE_DATA_DIR", dir.resolve(user).toString());
        env.put("TASKGATE_PORT", "0");
        env.put("TASKGATE_AUDIT_PORT", "0");
        env.put("TASKGATE_POLICY_PORT", "0");
        env.put("TASKGATE_WORKER_PORT", "0");
        return env;
    }

    private static ConfigSource config(String user, Map<Setting, String> more) {
        return ConfigSource.load(environment(user)).with(more);
    }

    private static Services services(String user, Map<Setting, String> more) {
        return new Services(config(user, more), Metrics.newRegistry("test"), Clock.systemUTC(), running);
    }

    private static Map<String, Object> clientProperties(String user) {
        ConfigSource config = ConfigSource.load(environment(user));
        return new KafkaClients(KafkaSettings.from(config)).adminConfig("test-" + user);
    }

    private static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }
}
