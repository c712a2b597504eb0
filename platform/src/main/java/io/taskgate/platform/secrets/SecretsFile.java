package io.taskgate.platform.secrets;

import com.fasterxml.jackson.core.type.TypeReference;
import io.taskgate.schemas.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * {@code DATA_DIR/secrets.enc}: the tool secrets as one JSON object, encrypted with AES-256-GCM
 * under the {@link SecretsKey}. Layout: a magic string, the key's check value, a fresh 12-byte
 * nonce, then ciphertext and tag; the header is authenticated too. Every write replaces the file
 * atomically, readable by its owner only.
 */
public final class SecretsFile {
    public static final String FILE_NAME = "secrets.enc";
    private static final byte[] MAGIC = "TGSECRETS1".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int HEADER_BYTES = MAGIC.length + SecretsKey.CHECK_BYTES + NONCE_BYTES;

    private final Path file;
    private final SecretsKey key;
    private final SecureRandom random;

    public SecretsFile(Path file, SecretsKey key, SecureRandom random) {
        this.file = file;
        this.key = key;
        this.random = random;
    }

    public static Path in(Path dataDir) {
        return dataDir.resolve(FILE_NAME);
    }

    public Path path() {
        return file;
    }

    /** Every secret in the file by name; empty when there is no file yet. */
    public Map<String, String> read() {
        if (!Files.exists(file)) {
            return new TreeMap<>();
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return decrypt(bytes);
    }

    public void set(String name, String value) {
        Map<String, String> secrets = read();
        secrets.put(SecretNames.validate(name), value);
        write(secrets);
    }

    /** Whether the secret was there. */
    public boolean remove(String name) {
        Map<String, String> secrets = read();
        boolean removed = secrets.remove(SecretNames.validate(name)) != null;
        if (removed) {
            write(secrets);
        }
        return removed;
    }

    private Map<String, String> decrypt(byte[] bytes) {
        if (bytes.length < HEADER_BYTES || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new SecretsException(file + " is not a Taskgate secrets file (or it was altered)");
        }
        byte[] check = Arrays.copyOfRange(bytes, MAGIC.length, MAGIC.length + SecretsKey.CHECK_BYTES);
        if (!MessageDigest.isEqual(check, key.check())) {
            throw new SecretsException("TASKGATE_KEK_BASE64 is not the key " + file + " was written with");
        }
        byte[] nonce = Arrays.copyOfRange(bytes, MAGIC.length + SecretsKey.CHECK_BYTES, HEADER_BYTES);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.aesKey(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(bytes, 0, MAGIC.length + SecretsKey.CHECK_BYTES);
            byte[] plain = cipher.doFinal(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES);
            return new TreeMap<>(Json.mapper().readValue(plain, new TypeReference<Map<String, String>>() { }));
        } catch (AEADBadTagException e) {
            throw new SecretsException(file + " was altered or damaged: its content does not match its authentication tag");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        } catch (IOException e) {
            throw new SecretsException(file + " decrypts to something other than a map of secrets");
        }
    }

    private void write(Map<String, String> secrets) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] check = key.check();
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.aesKey(), new GCMParameterSpec(TAG_BITS, nonce));
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).put(MAGIC).put(check).put(nonce);
            cipher.updateAAD(header.array(), 0, MAGIC.length + SecretsKey.CHECK_BYTES);
            byte[] sealed = cipher.doFinal(Json.mapper().writeValueAsBytes(new TreeMap<>(secrets)));
            replace(ByteBuffer.allocate(HEADER_BYTES + sealed.length).put(header.array()).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private void replace(byte[] content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, FILE_NAME, ".tmp");
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            }
            Files.write(temp, content);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public String toString() {
        return "SecretsFile[" + file + "]";
    }
}
