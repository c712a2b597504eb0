package io.taskgate.audit;

import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.KafkaSettings;
import io.taskgate.platform.config.Setting;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything the audit sink reads at start, validated once. The admin token guards the query
 * API; {@link #toString()} masks it, and any password in the JDBC URL.
 */
public record AuditSinkConfig(KafkaSettings kafka, String jdbcUrl, String adminToken) {
    public static final int MIN_ADMIN_TOKEN_LENGTH = 16;
    private static final String SQLITE = "jdbc:sqlite:";
    private static final String POSTGRES = "jdbc:postgresql:";

    public AuditSinkConfig {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(adminToken, "adminToken");
    }

    public static AuditSinkConfig from(ConfigSource config) {
        String adminToken = config.required(Setting.ADMIN_TOKEN);
        if (adminToken.length() < MIN_ADMIN_TOKEN_LENGTH) {
            throw new ConfigException(Setting.ADMIN_TOKEN, "must be at least " + MIN_ADMIN_TOKEN_LENGTH + " characters");
        }
        return new AuditSinkConfig(KafkaSettings.from(config), jdbcUrl(config), adminToken);
    }

    /**
     * The audit database's JDBC URL alone, as {@code taskgate audit verify} needs it:
     * {@code TASKGATE_AUDIT_JDBC_URL}, or {@code jdbc:sqlite:<DATA_DIR>/audit.db}. Opening the
     * store creates a SQLite file's directory; reading the settings touches nothing.
     */
    public static String jdbcUrl(ConfigSource config) {
        boolean explicit = config.isSet(Setting.AUDIT_JDBC_URL);
        String url = explicit
                ? config.string(Setting.AUDIT_JDBC_URL)
                : SQLITE + Path.of(config.string(Setting.DATA_DIR)).resolve("audit.db");
        if (!url.startsWith(SQLITE) && !url.startsWith(POSTGRES)) {
            throw new ConfigException(Setting.AUDIT_JDBC_URL, "must start with " + SQLITE + " or " + POSTGRES);
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
                + ", adminToken=****]";
    }
}
