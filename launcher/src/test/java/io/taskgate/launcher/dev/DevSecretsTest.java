package io.taskgate.launcher.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevSecretsTest {
    @TempDir
    Path dataDir;

    @Test
    void shouldGenerateSecretsOnceAndKeepThemAcrossRestarts() throws Exception {
        Map<Setting, String> first = DevSecrets.loadOrCreate(dataDir, ConfigSource.of(Map.of()), new SecureRandom());
        Map<Setting, String> again = DevSecrets.loadOrCreate(dataDir, ConfigSource.of(Map.of()), new SecureRandom());
        assertEquals(first, again);
        assertTrue(first.get(Setting.ADMIN_TOKEN).startsWith("tga_"));
        assertTrue(first.get(Setting.TOKEN_HMAC_SECRET).length() >= 32);
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dataDir.resolve("dev-secrets.properties"))));
    }

    @Test
    void shouldNeitherGenerateNorStoreWhatWasSetExplicitly() throws Exception {
        ConfigSource config = ConfigSource.of(Map.of(Setting.ADMIN_TOKEN, "explicit-admin-token-123"));
        Map<Setting, String> decided = DevSecrets.loadOrCreate(dataDir, config, new SecureRandom());
        assertFalse(decided.containsKey(Setting.ADMIN_TOKEN));
        assertTrue(decided.containsKey(Setting.TOKEN_HMAC_SECRET));
        assertFalse(Files.readString(dataDir.resolve("dev-secrets.properties")).contains("explicit-admin-token-123"));
    }
}
