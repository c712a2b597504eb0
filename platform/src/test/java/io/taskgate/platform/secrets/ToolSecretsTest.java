package io.taskgate.platform.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolSecretsTest {
    @TempDir
    Path dir;

    @Test
    void shouldPreferTheEnvironmentOverTheFile() {
        String kek = SecretsFileTest.newKek();
        new SecretsFile(SecretsFile.in(dir), SecretsKey.fromBase64(kek), new SecureRandom()).set("openai_api_key", "from-file");
        new SecretsFile(SecretsFile.in(dir), SecretsKey.fromBase64(kek), new SecureRandom()).set("smtp_password", "file-only");

        ToolSecrets secrets = ToolSecrets.load(config(kek),
                Map.of("TASKGATE_SECRET_OPENAI_API_KEY", "from-env", "PATH", "/bin"));

        assertEquals("from-env", secrets.get("openai_api_key").orElseThrow().reveal());
        assertEquals("file-only", secrets.get("smtp_password").orElseThrow().reveal());
        assertTrue(secrets.get("serpapi_api_key").isEmpty());
        assertEquals(Set.of("openai_api_key", "smtp_password"), secrets.names());
    }

    @Test
    void shouldReadTheEnvironmentWithoutAFileOrKey() {
        ToolSecrets secrets = ToolSecrets.load(config(""), Map.of("TASKGATE_SECRET_SERPAPI_API_KEY", "k"));
        assertEquals("k", secrets.get("serpapi_api_key").orElseThrow().reveal());
    }

    @Test
    void shouldStopAtStartWhenTheFileExistsButNoKeyIsSet() {
        new SecretsFile(SecretsFile.in(dir), SecretsKey.fromBase64(SecretsFileTest.newKek()), new SecureRandom()).set("a_key", "v");
        ConfigException error = assertThrows(ConfigException.class, () -> ToolSecrets.load(config(""), Map.of()));
        assertTrue(error.getMessage().startsWith("TASKGATE_KEK_BASE64: is required"), error.getMessage());
    }

    @Test
    void shouldStopAtStartWhenTheKeyIsWrong() {
        new SecretsFile(SecretsFile.in(dir), SecretsKey.fromBase64(SecretsFileTest.newKek()), new SecureRandom()).set("a_key", "v");
        ConfigException error = assertThrows(ConfigException.class, () -> ToolSecrets.load(config(SecretsFileTest.newKek()), Map.of()));
        assertTrue(error.getMessage().contains("TASKGATE_KEK_BASE64 is not the key"), error.getMessage());
    }

    @Test
    void shouldMaskValuesWhenPrinted() {
        ToolSecrets secrets = ToolSecrets.load(config(""), Map.of("TASKGATE_SECRET_OPENAI_API_KEY", "sk-visible"));
        Secret secret = secrets.get("openai_api_key").orElseThrow();

        assertEquals("****", secret.toString());
        assertFalse(secrets.toString().contains("sk-visible"));
        assertFalse(String.valueOf(Map.of("key", secret)).contains("sk-visible"));
    }

    private ConfigSource config(String kek) {
        return ConfigSource.of(Map.of(Setting.DATA_DIR, dir.toString(), Setting.KEK_BASE64, kek));
    }
}
