package io.taskgate.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditSinkConfigTest {
    private static final String TOKEN = "admin-token-0123456789-secret";

    @TempDir
    Path dir;

    @Test
    void shouldDefaultToASqliteFileInTheDataDirWithoutTouchingTheDisk() {
        Path dataDir = dir.resolve("nested/data");

        AuditSinkConfig config = AuditSinkConfig.from(source(Map.of(Setting.DATA_DIR, dataDir.toString())));

        assertEquals("jdbc:sqlite:" + dataDir.resolve("audit.db"), config.jdbcUrl());
        assertFalse(Files.exists(dataDir), "reading the settings must not create directories");
    }

    @Test
    void shouldReadEverySetting() {
        AuditSinkConfig config = AuditSinkConfig.from(source(Map.of(
                Setting.AUDIT_JDBC_URL, "jdbc:postgresql://db:5432/audit?user=sink",
                Setting.TOPIC_PREFIX, "acme",
                Setting.KAFKA_BOOTSTRAP, "kafka:9092")));

        assertEquals("jdbc:postgresql://db:5432/audit?user=sink", config.jdbcUrl());
        assertEquals("acme-audit-sink", config.consumerGroup());
        assertEquals("acme.audit", config.kafka().topics().audit().name());
        assertEquals("kafka:9092", config.kafka().bootstrapServers());
        assertEquals(TOKEN, config.adminToken());
    }

    @Test
    void shouldMaskTheAdminTokenAndDatabasePasswordInToString() {
        AuditSinkConfig config = AuditSinkConfig.from(source(Map.of(
                Setting.AUDIT_JDBC_URL, "jdbc:postgresql://db/audit?user=sink&password=pg-SECRET-pw&ssl=true")));

        String text = config.toString();

        assertFalse(text.contains(TOKEN), text);
        assertFalse(text.contains("pg-SECRET-pw"), text);
        assertTrue(text.contains("adminToken=****"), text);
        assertTrue(text.contains("password=****&ssl=true"), text);
    }

    @Test
    void shouldRequireTheAdminToken() {
        ConfigException missing = assertThrows(ConfigException.class,
                () -> AuditSinkConfig.from(ConfigSource.of(Map.of(Setting.DATA_DIR, dir.toString()))));
        ConfigException tooShort = assertThrows(ConfigException.class, () -> AuditSinkConfig.from(
                ConfigSource.of(Map.of(Setting.DATA_DIR, dir.toString(), Setting.ADMIN_TOKEN, "short"))));

        assertTrue(missing.getMessage().startsWith("TASKGATE_ADMIN_TOKEN"), missing.getMessage());
        assertTrue(tooShort.getMessage().startsWith("TASKGATE_ADMIN_TOKEN"), tooShort.getMessage());
    }

    @Test
    void shouldRefuseADatabaseItCannotUse() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> AuditSinkConfig.from(source(Map.of(Setting.AUDIT_JDBC_URL, "jdbc:mysql://db/audit"))));

        assertTrue(e.getMessage().startsWith("TASKGATE_AUDIT_JDBC_URL"), e.getMessage());
    }

    @Test
    void shouldGiveTheDatabaseUrlWithoutTheRestForVerification() {
        Path file = dir.resolve("elsewhere/trail.db");

        String url = AuditSinkConfig.jdbcUrl(ConfigSource.of(Map.of(Setting.AUDIT_JDBC_URL, "jdbc:sqlite:" + file)));

        assertEquals("jdbc:sqlite:" + file, url);
    }

    private ConfigSource source(Map<Setting, String> values) {
        Map<Setting, String> all = new HashMap<>(values);
        all.putIfAbsent(Setting.ADMIN_TOKEN, TOKEN);
        all.putIfAbsent(Setting.DATA_DIR, dir.toString());
        return ConfigSource.of(all);
    }
}
