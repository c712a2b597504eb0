package io.taskgate.launcher.dev;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskgate.audit.AuditSinkService;
import io.taskgate.ingress.IngressService;
import io.taskgate.kafka.embedded.EmbeddedKafka;
import io.taskgate.launcher.run.Readiness;
import io.taskgate.launcher.run.Running;
import io.taskgate.launcher.run.Services;
import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.platform.ops.OpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * Everything on one machine: an embedded KRaft broker (unless {@code TASKGATE_KAFKA_BOOTSTRAP} is
 * set), then the audit sink, policy-stream, one worker pool, the webhook deliverer and ingress, all in this process but
 * cooperating only through Kafka, exactly as separate processes would.
 */
public final class DevEnvironment implements AutoCloseable {
    private static final int DEFAULT_KAFKA_PORT = 9092;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Running running;
    private final ConfigSource config;
    private final String bootstrap;
    private final IngressService ingress;

    private DevEnvironment(Running running, ConfigSource config, String bootstrap, IngressService ingress) {
        this.running = running;
        this.config = config;
        this.bootstrap = bootstrap;
        this.ingress = ingress;
    }

    public static DevEnvironment start(ConfigSource given, PrometheusMeterRegistry metrics, Clock clock) {
        Running running = new Running();
        try {
            Path dataDir = Path.of(given.string(Setting.DATA_DIR)).toAbsolutePath();
            Files.createDirectories(dataDir);
            Map<Setting, String> decided = new EnumMap<>(DevSecrets.loadOrCreate(dataDir, given, new SecureRandom()));
            String bootstrap;
            if (given.isSet(Setting.KAFKA_BOOTSTRAP)) {
                bootstrap = given.string(Setting.KAFKA_BOOTSTRAP);
            } else if (!given.kafkaProperties().isEmpty()) {
                throw new ConfigException(Setting.KAFKA_BOOTSTRAP, "is required with Kafka client properties "
                        + given.kafkaProperties() + ": the embedded broker speaks plaintext only");
            } else {
                EmbeddedKafka broker = running.add("kafka", EmbeddedKafka.start(dataDir.resolve("kafka"), kafkaPort()));
                bootstrap = broker.bootstrapServers();
                decided.put(Setting.KAFKA_BOOTSTRAP, bootstrap);
            }
            decided.put(Setting.DATA_DIR, dataDir.toString());
            ConfigSource config = given.withDefaults(decided);

            Services services = new Services(config, metrics, clock, running);
            AuditSinkService sink = services.auditSink();
            OpsServer sinkHttp = services.opsServer(Setting.AUDIT_PORT, sink::isReady, sink.routes());
            config = config.withDefaults(Map.of(Setting.AUDIT_URL, "http://" + config.string(Setting.HOST) + ":" + sinkHttp.port()));
            services = new Services(config, metrics, clock, running);
            services.policy();
            services.worker();
            services.webhooks();
            IngressService ingress = services.ingress();
            Readiness.await(running, READY_TIMEOUT);
            return new DevEnvironment(running, config, bootstrap, ingress);
        } catch (IOException e) {
            running.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            running.close();
            throw e;
        }
    }

    /** The one line {@code taskgate dev} prints when everything answers. */
    public String readyLine() {
        return "taskgate ready: " + ingressUrl() + " admin-token=" + adminToken() + " kafka=" + bootstrap;
    }

    public String ingressUrl() {
        return "http://" + config.string(Setting.HOST) + ":" + ingress.port();
    }

    public String adminToken() {
        return config.required(Setting.ADMIN_TOKEN);
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    /** The configuration every service of this environment runs with, for starting more of them. */
    public ConfigSource config() {
        return config;
    }

    /** 9092 when it is free, so a second worker or kcat finds the broker where Kafka users look first. */
    private static int kafkaPort() {
        try (ServerSocket probe = new ServerSocket(DEFAULT_KAFKA_PORT, 1, java.net.InetAddress.getLoopbackAddress())) {
            return DEFAULT_KAFKA_PORT;
        } catch (IOException busy) {
            return 0;
        }
    }

    @Override
    public void close() {
        running.close();
    }
}
