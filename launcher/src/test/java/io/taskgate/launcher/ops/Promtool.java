package io.taskgate.launcher.ops;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Prometheus' own linter, {@code promtool check metrics}, from Debian's {@code prometheus}
 * package ({@code .ci/run} installs it). Missing here, a test is skipped with the reason; missing
 * in CI ({@code CI=true}), it fails, so the check never passes without running.
 */
final class Promtool {
    private final Path binary;

    private Promtool(Path binary) {
        this.binary = binary;
    }

    static Promtool required() {
        Optional<Path> found = find();
        if (found.isEmpty()) {
            String why = "promtool is not installed (apt-get install prometheus; or set PROMTOOL)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(why + ": CI must run this check");
            }
            Assumptions.abort(why);
        }
        return new Promtool(found.get());
    }

    private static Optional<Path> find() {
        String explicit = System.getenv("PROMTOOL");
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(Path.of(explicit)).filter(Files::isExecutable);
        }
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, "promtool"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** What {@code promtool check metrics} said about this exposition: its exit code and its lines. */
    Result checkMetrics(String exposition) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(binary.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String output;
        try (InputStream out = process.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("promtool did not finish within 60 s");
        }
        return new Result(process.exitValue(), output.lines().filter(line -> !line.isBlank()).toList());
    }

    /** promtool writes one line per problem, {@code name: text} for a lint warning, anything else for an error. */
    record Result(int exitCode, List<String> lines) {
    }
}
