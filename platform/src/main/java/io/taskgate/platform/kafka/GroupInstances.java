package io.taskgate.platform.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Static group membership ({@code group.instance.id}) for the consumers of one service instance, so
 * that an instance restarted after a crash takes its place in its groups at once. A dynamic member
 * that died stays in its group until its session times out (45 s by default), and a rebalance, such
 * as the one the restarted instance asks for, waits for it; a static member coming back under the
 * same id replaces its old self instead.
 *
 * <p>Ids live under {@code DATA_DIR/group-instances/<group>/<slot>.id}, one random id per slot,
 * created on first use. A consumer claims the lowest slot no live consumer holds, by an exclusive
 * file lock the operating system drops when the process dies: a second process on the same data
 * directory gets a slot (and id) of its own, and a restarted one gets its old slot back. Two
 * processes must never share an id (the broker would fence one of them), so a copied data directory
 * must not be used by two instances at once.
 */
public final class GroupInstances implements AutoCloseable {
    static final String DIRECTORY = "group-instances";
    private static final int MAX_SLOTS = 1024;
    private static final int RANDOM_BYTES = 8;
    private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    private final Path root;
    private final SecureRandom random;
    private final List<FileChannel> held = new ArrayList<>();

    private GroupInstances(Path root, SecureRandom random) {
        this.root = root;
        this.random = random;
    }

    /** No static membership: every consumer joins as a dynamic member (tests, one-off commands). */
    public static GroupInstances none() {
        return new GroupInstances(null, null);
    }

    /** Ids kept under the service's data directory. */
    public static GroupInstances in(Path dataDir) {
        return new GroupInstances(dataDir.toAbsolutePath().resolve(DIRECTORY), new SecureRandom());
    }

    /**
     * An instance id in {@code group} that no other live consumer holds, held until {@link #close()};
     * after a restart on the same data directory the same id again. Empty for {@link #none()}.
     */
    public synchronized Optional<String> claim(String group) {
        if (root == null) {
            return Optional.empty();
        }
        try {
            Path dir = root.resolve(safe(group));
            Files.createDirectories(dir);
            for (int slot = 0; slot < MAX_SLOTS; slot++) {
                FileChannel channel = FileChannel.open(dir.resolve(slot + ".id"),
                        StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                if (lock(channel) == null) {
                    channel.close();
                    continue;
                }
                try {
                    String id = readOrCreate(channel, group);
                    held.add(channel);
                    return Optional.of(id);
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the group instance ids of " + group + " under " + root, e);
        }
        throw new IllegalStateException(MAX_SLOTS + " instances of group " + group + " already run on " + root);
    }

    private static FileLock lock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException heldInThisProcess) {
            return null;
        }
    }

    private String readOrCreate(FileChannel channel, String group) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(channel.size(), 256));
        channel.read(buffer, 0);
        String stored = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
        if (VALID_ID.matcher(stored).matches()) {
            return stored;
        }
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        String id = safe(group) + "-" + HexFormat.of().formatHex(bytes);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((id + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(true);
        return id;
    }

    /** A group name as a file name and id part: Kafka allows any string, a path does not. */
    private static String safe(String group) {
        String name = group.replaceAll("[^A-Za-z0-9._-]", "_");
        return name.startsWith(".") ? "_" + name : name;
    }

    /** Releases every claimed id (the locks), for the next start on this data directory. */
    @Override
    public synchronized void close() {
        for (FileChannel channel : held) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing a file we only locked and read: nothing to keep, the lock goes with the process anyway.
            }
        }
        held.clear();
    }
}
