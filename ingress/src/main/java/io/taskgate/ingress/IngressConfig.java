package io.taskgate.ingress;

import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.KafkaSettings;
import io.taskgate.platform.config.Setting;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** Everything ingress reads at start, validated once. {@link #toString()} masks the secrets. */
public record IngressConfig(
        KafkaSettings kafka,
        String host,
        int port,
        URI advertisedUrl,
        String adminToken,
        byte[] tokenHmacSecret,
        String tokenKid,
        String issuer,
        long maxBodyBytes,
        Path stateDir,
        URI auditUrl,
        String region,
        Duration taskRetention) {
    public static final int MIN_SECRET_BYTES = 32;
    private static final int MAX_RETENTION_HOURS = 24 * 365;

    public static IngressConfig from(ConfigSource config) {
        String adminToken = config.required(Setting.ADMIN_TOKEN);
        if (adminToken.length() < 16) {
            throw new ConfigException(Setting.ADMIN_TOKEN, "must be at least 16 characters");
        }
        byte[] hmac = config.required(Setting.TOKEN_HMAC_SECRET).getBytes(StandardCharsets.UTF_8);
        if (hmac.length < MIN_SECRET_BYTES) {
            throw new ConfigException(Setting.TOKEN_HMAC_SECRET, "must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        String host = config.string(Setting.HOST);
        int port = config.port(Setting.PORT);
        URI advertised = config.isSet(Setting.ADVERTISED_URL)
                ? config.uri(Setting.ADVERTISED_URL)
                : URI.create("http://" + host + ":" + port);
        Path dataDir = Path.of(config.string(Setting.DATA_DIR));
        Path stateDir = config.path(Setting.STATE_DIR).orElse(dataDir.resolve("state"));
        return new IngressConfig(KafkaSettings.from(config), host, port, advertised, adminToken, hmac,
                config.string(Setting.TOKEN_KID), config.string(Setting.ISSUER),
                config.integer(Setting.MAX_BODY_BYTES, 1024, Integer.MAX_VALUE), stateDir,
                config.uri(Setting.AUDIT_URL), config.string(Setting.REGION),
                Duration.ofHours(config.integer(Setting.TASK_RETENTION_HOURS, 1, MAX_RETENTION_HOURS)));
    }

    /**
     * Port 0 means "any free port", but other instances must be told the real one (the status
     * view routes reads to the instance that owns a task), so it is chosen here, before anything
     * advertises it. Another process could take it before ingress binds; ingress then fails to
     * start with a clear error, which is acceptable for the tests and tools that ask for port 0.
     */
    public IngressConfig withConcretePort() {
        if (port != 0) {
            return this;
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
            return withPort(probe.getLocalPort(), stateDir);
        } catch (java.io.IOException e) {
            throw new ConfigException(Setting.HOST, "cannot bind " + host + ": " + e.getMessage());
        }
    }

    /** The same settings on another port, as a second instance in tests needs. */
    public IngressConfig withPort(int newPort, Path newStateDir) {
        URI advertised = URI.create("http://" + host + ":" + newPort);
        return new IngressConfig(kafka, host, newPort, advertised, adminToken, tokenHmacSecret, tokenKid, issuer,
                maxBodyBytes, newStateDir, auditUrl, region, taskRetention);
    }

    @Override
    public String toString() {
        return "IngressConfig[kafka=" + kafka + ", host=" + host + ", port=" + port + ", advertisedUrl=" + advertisedUrl
                + ", adminToken=****, tokenHmacSecret=****, tokenKid=" + tokenKid + ", issuer=" + issuer
                + ", maxBodyBytes=" + maxBodyBytes + ", stateDir=" + stateDir + ", auditUrl=" + auditUrl
                + ", region=" + region + ", taskRetention=" + taskRetention + "]";
    }
}
