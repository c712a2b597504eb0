package io.taskgate.ingress;

import io.taskgate.ingress.edge.EdgeSettings;
import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.KafkaSettings;
import io.taskgate.platform.config.Setting;
import io.taskgate.schemas.topics.MessageLimits;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import io.taskgate.ingress.auth.TokenKey;

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
        TokenKey previousTokenKey,
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
        String kid = config.string(Setting.TOKEN_KID);
        return new IngressConfig(KafkaSettings.from(config), host, port, advertised, adminToken, hmac,
                kid, config.string(Setting.ISSUER),
                config.integer(Setting.MAX_BODY_BYTES, 1024, MessageLimits.MAX_INPUT_BYTES), stateDir,
                config.uri(Setting.AUDIT_URL),
                Duration.ofHours(config.integer(Setting.TASK_RETENTION_HOURS, 1, MAX_RETENTION_HOURS)),
                previousTokenKey(config, kid), EdgeSettings.from(config),
                config.bool(Setting.WEBHOOK_ALLOW_HTTP), config.bool(Setting.HTTP_FETCH_ALLOW_PRIVATE));
    }

    /** The key being rotated out, accepted but never used to sign; null when no rotation is under way. */
    private static TokenKey previousTokenKey(ConfigSource config, String currentKid) {
        if (!config.isSet(Setting.TOKEN_HMAC_PREVIOUS)) {
            return null;
        }
        byte[] secret = config.string(Setting.TOKEN_HMAC_PREVIOUS).getBytes(StandardCharsets.UTF_8);
        if (secret.length < MIN_SECRET_BYTES) {
            throw new ConfigException(Setting.TOKEN_HMAC_PREVIOUS, "must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        String kid = config.isSet(Setting.TOKEN_PREVIOUS_KID) ? config.string(Setting.TOKEN_PREVIOUS_KID) : "";
        if (kid.isBlank()) {
            throw new ConfigException(Setting.TOKEN_PREVIOUS_KID, "is required with " + Setting.TOKEN_HMAC_PREVIOUS.envName());
        }
        if (kid.equals(currentKid)) {
            throw new ConfigException(Setting.TOKEN_PREVIOUS_KID, "must differ from " + Setting.TOKEN_KID.envName()
                    + " (" + currentKid + "): tokens name their key by kid");
        }
        return new TokenKey(kid, secret);
    }

    /** Every key id access tokens may carry, with its secret: the current one, and the previous during a rotation. */
    public Map<String, byte[]> tokenVerificationKeys() {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        keys.put(tokenKid, tokenHmacSecret);
        if (previousTokenKey != null) {
            keys.put(previousTokenKey.kid(), previousTokenKey.secret());
        }
        return keys;
    }

    /** The same settings on another port, as a second instance in tests needs. */
    public IngressConfig withPort(int newPort, Path newStateDir) {
        URI advertised = URI.create("http://" + host + ":" + newPort);
        return new IngressConfig(kafka, host, newPort, advertised, adminToken, tokenHmacSecret, tokenKid, issuer,
                maxBodyBytes, newStateDir, auditUrl, taskRetention, previousTokenKey, edge, webhookAllowHttp,
                allowPrivateTargets);
    }

    @Override
    public String toString() {
        return "IngressConfig[kafka=" + kafka + ", host=" + host + ", port=" + port + ", advertisedUrl=" + advertisedUrl
                + ", adminToken=****, tokenHmacSecret=****, tokenKid=" + tokenKid + ", issuer=" + issuer
                + ", maxBodyBytes=" + maxBodyBytes + ", stateDir=" + stateDir + ", auditUrl=" + auditUrl
                + ", taskRetention=" + taskRetention + ", previousTokenKey=" + previousTokenKey + ", edge=" + edge
                + ", webhookAllowHttp=" + webhookAllowHttp + ", allowPrivateTargets=" + allowPrivateTargets + "]";
    }
}
