package io.taskgate.platform.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSourceTest {
    @TempDir
    Path dir;

    @Test
    void shouldLetTheEnvironmentWinOverTheFileAndTheFileOverDefaults() throws IOException {
        Path file = dir.resolve("taskgate.yaml");
        Files.writeString(file, "port: 9000\nregion: eu-west\n");
        ConfigSource config = ConfigSource.load(Map.of("TASKGATE_CONFIG", file.toString(), "TASKGATE_PORT", "9100"));
        assertEquals(9100, config.port(Setting.PORT));
        assertEquals("eu-west", config.string(Setting.REGION));
        assertEquals("taskgate", config.string(Setting.TOPIC_PREFIX));
    }

    @Test
    void shouldNameTheSettingWhenAValueIsInvalid() {
        ConfigSource config = ConfigSource.load(Map.of("TASKGATE_PORT", "eighty"));
        ConfigException error = assertThrows(ConfigException.class, () -> config.port(Setting.PORT));
        assertTrue(error.getMessage().startsWith("TASKGATE_PORT: "), error.getMessage());
        ConfigException outOfRange = assertThrows(ConfigException.class,
                () -> ConfigSource.load(Map.of("TASKGATE_PORT", "70000")).port(Setting.PORT));
        assertTrue(outOfRange.getMessage().contains("65535"), outOfRange.getMessage());
    }

    @Test
    void shouldNameAMissingRequiredSetting() {
        ConfigException error = assertThrows(ConfigException.class,
                () -> ConfigSource.load(Map.of()).required(Setting.ADMIN_TOKEN));
        assertEquals("TASKGATE_ADMIN_TOKEN: is required", error.getMessage());
    }

    @Test
    void shouldRefuseAnUnknownKeyInTheFile() throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "prot: 9000\n");
        ConfigException error = assertThrows(ConfigException.class,
                () -> ConfigSource.load(Map.of("TASKGATE_CONFIG", file.toString())));
        assertTrue(error.getMessage().contains("unknown setting 'prot'"), error.getMessage());
    }

    @Test
    void shouldRefuseAConfigFileThatWasNamedButIsMissing() {
        ConfigException error = assertThrows(ConfigException.class,
                () -> ConfigSource.load(Map.of("TASKGATE_CONFIG", dir.resolve("nope.yaml").toString())));
        assertTrue(error.getMessage().startsWith("TASKGATE_CONFIG: file not found"), error.getMessage());
    }

    @Test
    void shouldMaskSecretsWhenPrinted() {
        ConfigSource config = ConfigSource.of(Map.of(Setting.ADMIN_TOKEN, "super-secret-admin-token",
                Setting.TOKEN_HMAC_SECRET, "another-secret-that-is-long-enough", Setting.REGION, "eu"));
        String printed = config.toString();
        assertFalse(printed.contains("super-secret-admin-token"), printed);
        assertFalse(printed.contains("another-secret-that-is-long-enough"), printed);
        assertTrue(printed.contains("TASKGATE_REGION=eu"), printed);
    }

    @Test
    void shouldKeepExplicitValuesOverDecidedDefaults() {
        ConfigSource config = ConfigSource.of(Map.of(Setting.PORT, "81"))
                .withDefaults(Map.of(Setting.PORT, "82", Setting.REGION, "decided"));
        assertEquals(81, config.port(Setting.PORT));
        assertEquals("decided", config.string(Setting.REGION));
    }

    @Test
    void shouldReadBooleansStrictly() {
        assertTrue(ConfigSource.of(Map.of(Setting.HTTP_FETCH_ALLOW_PRIVATE, "true")).bool(Setting.HTTP_FETCH_ALLOW_PRIVATE));
        assertFalse(ConfigSource.of(Map.of()).bool(Setting.HTTP_FETCH_ALLOW_PRIVATE));
        assertThrows(ConfigException.class,
                () -> ConfigSource.of(Map.of(Setting.HTTP_FETCH_ALLOW_PRIVATE, "maybe")).bool(Setting.HTTP_FETCH_ALLOW_PRIVATE));
    }
}
