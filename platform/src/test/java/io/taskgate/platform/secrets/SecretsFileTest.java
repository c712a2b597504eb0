package io.taskgate.platform.secrets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.platform.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsFileTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    static String newKek() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    @Test
    void shouldReadBackWhatWasSetAndForgetWhatWasRemoved() {
        String kek = newKek();
        SecretsFile file = new SecretsFile(SecretsFile.in(dir), SecretsKey.fromBase64(kek), RANDOM);
        file.set("openai_api_key", "sk-first");
        file.set("smtp_password", "hunter2");
        file.set("openai_api_key", "sk-second");

        SecretsFile reopened = new SecretsFile(SecretsFile.in(dir), SecretsKey.fromBase64(kek), RANDOM);
        assertEquals(Map.of("openai_api_key", "sk-second", "smtp_password", "hunter2"), reopened.read());
        assertTrue(reopened.remove("smtp_password"));
        assertFalse(reopened.remove("smtp_password"));
        assertEquals(Map.of("openai_api_key", "sk-second"), file.read());
    }

    @Test
    void shouldNotStoreTheValueInTheClear() throws Exception {
        SecretsFile file = new SecretsFile(SecretsFile.in(dir), SecretsKey.fromBase64(newKek()), RANDOM);
        file.set("serpapi_api_key", "recognisable-secret-value");

        String raw = new String(Files.readAllBytes(SecretsFile.in(dir)), StandardCharsets.ISO_8859_1);
        assertFalse(raw.contains("recognisable-secret-value"));
        assertFalse(raw.contains("serpapi_api_key"));
    }

    @Test
    void shouldSayTheKeyIsWrongWhenReadWithAnotherKey() {
        new SecretsFile(SecretsFile.in(dir), SecretsKey.fromBase64(newKek()), RANDOM).set("a_key", "value");

        SecretsFile withOtherKey = new SecretsFile(SecretsFile.in(dir), SecretsKey.fromBase64(newKek()), RANDOM);
        SecretsException error = assertThrows(SecretsException.class, withOtherKey::read);
        assertTrue(error.getMessage().contains("TASKGATE_KEK_BASE64 is not the key"), error.getMessage());
    }

    @Test
    void shouldSayTheFileWasAlteredWhenOneByteChanged() throws Exception {
        String kek = newKek();
        SecretsFile file = new SecretsFile(SecretsFile.in(dir), SecretsKey.fromBase64(kek), RANDOM);
        file.set("a_key", "value");
        byte[] bytes = Files.readAllBytes(file.path());
        bytes[bytes.length - 20] ^= 0x01;
        Files.write(file.path(), bytes);

        SecretsException error = assertThrows(SecretsException.class, file::read);
        assertTrue(error.getMessage().contains("was altered"), error.getMessage());
    }

    @Test
    void shouldRefuseSomethingThatIsNotASecretsFile() throws Exception {
        Files.writeString(SecretsFile.in(dir), "{\"a_key\": \"plain\"}");
        SecretsFile file = new SecretsFile(SecretsFile.in(dir), SecretsKey.fromBase64(newKek()), RANDOM);

        SecretsException error = assertThrows(SecretsException.class, file::read);
        assertTrue(error.getMessage().contains("not a Taskgate secrets file"), error.getMessage());
    }

    @Test
    void shouldUseAFreshNonceForEveryWrite() throws Exception {
        SecretsFile file = new SecretsFile(SecretsFile.in(dir), SecretsKey.fromBase64(newKek()), RANDOM);
        file.set("a_key", "value");
        byte[] first = Files.readAllBytes(file.path());
        file.set("a_key", "value");
        byte[] second = Files.readAllBytes(file.path());

        assertEquals(first.length, second.length);
        assertFalse(java.util.Arrays.equals(first, second));
        assertArrayEquals(java.util.Arrays.copyOf(first, 10), java.util.Arrays.copyOf(second, 10));
    }

    @Test
    void shouldRejectAKeyThatIsNot32Bytes() {
        ConfigException error = assertThrows(ConfigException.class,
                () -> SecretsKey.fromBase64(Base64.getEncoder().encodeToString(new byte[16])));
        assertTrue(error.getMessage().startsWith("TASKGATE_KEK_BASE64: "), error.getMessage());
        assertThrows(ConfigException.class, () -> SecretsKey.fromBase64("not base64!"));
    }

    @Test
    void shouldRejectABadSecretName() {
        SecretsFile file = new SecretsFile(SecretsFile.in(dir), SecretsKey.fromBase64(newKek()), RANDOM);
        assertThrows(IllegalArgumentException.class, () -> file.set("../etc", "x"));
        assertThrows(IllegalArgumentException.class, () -> file.set("", "x"));
    }
}
