package io.taskgate.ingress;

import io.taskgate.ingress.auth.AdminAuth;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.ops.Metrics;
import io.taskgate.testing.TestKafka;
import io.undertow.server.RoutingHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Ingress instances of one installation for integration tests: every instance started by one
 * {@code TestIngresses} shares the broker, topics, admin token and HMAC key, as instances behind
 * one load balancer do.
 */
final class TestIngresses {
    static final String HMAC_SECRET = "it-hmac-secret-" + UUID.randomUUID();

    private final TestKafka kafka;
    private final String adminToken;

    TestIngresses(TestKafka kafka, String adminToken) {
        this.kafka = kafka;
        this.adminToken = adminToken;
    }

    /** An instance without the task API (its own tests cover it): starts in a few seconds. */
    IngressService withoutTasks(Map<Setting, String> overrides) {
        return IngressService.start(config(overrides), kafka.clients(), Metrics.newRegistry("it"), Clock.systemUTC(),
                parts -> new NoTasks());
    }

    /** An instance with the real task API (its status view is a Kafka Streams app). */
    IngressService withTasks(Map<Setting, String> overrides) {
        IngressConfig config = config(overrides);
        return IngressService.start(config, new KafkaClients(config.kafka()), Metrics.newRegistry("it"), Clock.systemUTC());
    }

    private IngressConfig config(Map<Setting, String> overrides) {
        Map<Setting, String> settings = new HashMap<>(Map.of(
                Setting.KAFKA_BOOTSTRAP, kafka.bootstrapServers(),
                Setting.TOPIC_PREFIX, kafka.topics().prefix(),
                Setting.HOST, "127.0.0.1",
                Setting.PORT, "0",
                Setting.ADMIN_TOKEN, adminToken,
                Setting.TOKEN_HMAC_SECRET, HMAC_SECRET,
                Setting.AUDIT_URL, "http://127.0.0.1:9",
                Setting.STATE_DIR, tempDir()));
        settings.putAll(overrides);
        return IngressConfig.from(ConfigSource.of(settings));
    }

    private static String tempDir() {
        try {
            return Files.createTempDirectory("ingress-it").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stands in for the task API. */
    private static final class NoTasks implements TaskRoutes {
        @Override
        public void start() {
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void addRoutes(RoutingHandler routes, AdminAuth admin) {
        }

        @Override
        public void stopAccepting() {
        }

        @Override
        public void close() {
        }
    }
}
