package io.taskgate.audit;

import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.KafkaSettings;
import io.taskgate.platform.config.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything the audit sink reads at start, validated once. The admin token guards the query
 * API; {@link #toString()} masks it, and any password in the JDBC URL.
 */
public record AuditSinkConfig(KafkaSettings kafka, String jdbcUrl, String adminToken, String host, int port, String region) {
    public static final int MIN_ADMIN_TOKEN_LENGTH = 16;
    private static final String SQLITE = "jdbc:sqlite:";
    private static final String POSTGRES = "jdbc:postgresql:";

    public AuditSinkConfig {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(adminToken, "adminToken");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(region, "region");
    }

    public static AuditSinkConfig from(ConfigSource config) {
        String adminToken = config.required(Setting.ADMIN_TOKEN);
        if (adminToken.length() < MIN_ADMIN_TOKEN_LENGTH) {
            throw new ConfigException(Setting.ADMIN_TOKEN, "must be at least " + MIN_ADMIN_TOKEN_LENGTH + " characters");
        }
        return new AuditSinkConfig(KafkaSettings.from(config), jdbcUrl(config), adminToken, config.string(Setting.HOST),
                config.port(Setting.AUDIT_PORT), config.string(Setting.REGION));
    }

    /**
     * The audit database's JDBC URL alone, as {@code taskgate audit verify} needs it:
     * {@code TASKGATE_AUDIT_JDBC_URL}, or {@code jdbc:sqlite:<DATA_DIR>/audit.db}. For SQLite the
     * file's directory is created if missing.
     */
    public static String jdbcUrl(ConfigSource config) {
        boolean explicit = config.isSet(Setting.AUDIT_JDBC_URL);
        String url = explicit
                ? config.string(Setting.AUDIT_JDBC_URL)
                : SQLITE + Path.of(config.string(Setting.DATA_DIR)).resolve("audit.db");
        if (url.startsWith(POSTGRES)) {
            return url;
        }
        if (!url.startsWith(SQLITE)) {
            throw new ConfigException(Setting.AUDIT_JDBC_URL, "must start with " + SQLITE + " or " + POSTGRES);
        }
        String file = url.substring(SQLITE.length()).split("\\?", 2)[0];
        if (file.isEmpty() || file.startsWith(":memory:") || file.startsWith("file:")) {
            return url;
        }
        Path parent = Path.of(file).toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new ConfigException(explicit ? Setting.AUDIT_JDBC_URL : Setting.DATA_DIR,
                    "cannot create directory " + parent + " for the audit database: " + e.getMessage());
        }
        return url;
    }

    /** The Kafka consumer group of the sink: {@code <topic prefix>-audit-sink}. */
    public String consumerGroup() {
        return kafka.topics().prefix() + "-audit-sink";
    }

    @Override
    public String toString() {
        return "AuditSinkConfig[kafka=" + kafka + ", jdbcUrl=" + jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1****")
                + ", adminToken=****, host=" + host + ", port=" + port + ", region=" + region + "]";
    }
}
