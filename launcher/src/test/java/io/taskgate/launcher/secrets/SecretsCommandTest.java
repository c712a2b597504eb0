package io.taskgate.launcher.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SecretsCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final String kek = newKek();

    @Test
    void shouldSetListAndRemoveSecretsWithoutEverPrintingAValue() {
        assertEquals(0, run("sk-stdin-value\n", "set", "openai_api_key"));
        assertEquals(0, run("smtp-pass", "set", "smtp_password"));

        out.reset();
        assertEquals(0, run("", "list"));
        assertEquals("openai_api_key\nsmtp_password\n", out.toString(StandardCharsets.UTF_8).replace("\r\n", "\n"));

        assertEquals(0, run("", "rm", "smtp_password"));
        out.reset();
        assertEquals(0, run("", "list"));
        assertEquals("openai_api_key\n", out.toString(StandardCharsets.UTF_8).replace("\r\n", "\n"));
        assertFalse(out.toString(StandardCharsets.UTF_8).contains("sk-stdin-value"));
        assertFalse(err.toString(StandardCharsets.UTF_8).contains("sk-stdin-value"));
        assertTrue(Files.exists(dir.resolve("secrets.enc")));
    }

    @Test
    void shouldExitOneWhenRemovingAnUnknownSecret() {
        assertEquals(1, run("", "rm", "nothing_here"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no secret named nothing_here"));
    }

    @Test
    void shouldNameTheMissingKeySetting() {
        int code = new CommandLine(new SecretsCommand(Map.of("TASKGATE_DATA_DIR", dir.toString()),
                new ByteArrayInputStream(new byte[0]), new PrintStream(out), new PrintStream(err))).execute("list");

        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("TASKGATE_KEK_BASE64: is required"), err.toString());
    }

    @Test
    void shouldRefuseAnEmptyValue() {
        assertEquals(2, run("\n", "set", "openai_api_key"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no value"));
        assertFalse(Files.exists(dir.resolve("secrets.enc")));
    }

    @Test
    void shouldSayTheKeyIsWrongInsteadOfListing() {
        assertEquals(0, run("v", "set", "a_key"));
        int code = new CommandLine(new SecretsCommand(Map.of("TASKGATE_DATA_DIR", dir.toString(), "TASKGATE_KEK_BASE64", newKek()),
                new ByteArrayInputStream(new byte[0]), new PrintStream(out), new PrintStream(err))).execute("list");

        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("is not the key"), err.toString());
    }

    private int run(String stdin, String... args) {
        SecretsCommand command = new SecretsCommand(Map.of("TASKGATE_DATA_DIR", dir.toString(), "TASKGATE_KEK_BASE64", kek),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), new PrintStream(out), new PrintStream(err));
        return new CommandLine(command).execute(args);
    }

    private static String newKek() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
