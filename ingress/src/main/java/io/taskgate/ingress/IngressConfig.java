package io.taskgate.ingress;

import io.taskgate.ingress.edge.EdgeSettings;
import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.KafkaSettings;
import io.taskgate.platform.config.Setting;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** Everything ingress reads at start, validated once; values only. {@link #toString()} masks the secrets. */
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
        Duration taskRetention,
        EdgeSettings edge,
        boolean webhookAllowHttp,
        boolean allowPrivateTargets) {
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
                config.uri(Setting.AUDIT_URL),
                Duration.ofHours(config.integer(Setting.TASK_RETENTION_HOURS, 1, MAX_RETENTION_HOURS)),
                EdgeSettings.from(config),
                config.bool(Setting.WEBHOOK_ALLOW_HTTP), config.bool(Setting.HTTP_FETCH_ALLOW_PRIVATE));
    }

    /** The same settings on another port, as a second instance in tests needs. */
    public IngressConfig withPort(int newPort, Path newStateDir) {
        URI advertised = URI.create("http://" + host + ":" + newPort);
        return new IngressConfig(kafka, host, newPort, advertised, adminToken, tokenHmacSecret, tokenKid, issuer,
                maxBodyBytes, newStateDir, auditUrl, taskRetention, edge, webhookAllowHttp, allowPrivateTargets);
    }

    @Override
    public String toString() {
        return "IngressConfig[kafka=" + kafka + ", host=" + host + ", port=" + port + ", advertisedUrl=" + advertisedUrl
                + ", adminToken=****, tokenHmacSecret=****, tokenKid=" + tokenKid + ", issuer=" + issuer
                + ", maxBodyBytes=" + maxBodyBytes + ", stateDir=" + stateDir + ", auditUrl=" + auditUrl
                + ", taskRetention=" + taskRetention + ", edge=" + edge + ", webhookAllowHttp=" + webhookAllowHttp
                + ", allowPrivateTargets=" + allowPrivateTargets + "]";
    }
}
