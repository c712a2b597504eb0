package io.taskgate.launcher.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.schemas.json.Json;
import java.io.PrintWriter;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * What every admin command shares: where ingress is ({@code TASKGATE_URL}, or {@code --url}), the
 * admin token ({@code TASKGATE_ADMIN_TOKEN}, never an option, so it stays out of shell history
 * and process lists), {@code --json}, and how a failure is told: one line, exit 1 (2 for a
 * missing or bad setting).
 */
public final class AdminOptions {
    private final Map<String, String> env;

    @Option(names = "--url", paramLabel = "URL", description = "ingress to talk to (default: TASKGATE_URL, else http://127.0.0.1:8080)")
    String url;

    @Option(names = "--json", description = "print the API's JSON answer as it came, for scripts")
    boolean json;

    public AdminOptions() {
        this(System.getenv());
    }

    public AdminOptions(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** What a command does with the client; it prints to {@code out}. */
    @FunctionalInterface
    interface Action {
        void run(AdminClient client, PrintWriter out);
    }

    /** Runs {@code action} with the admin token. */
    int run(CommandSpec spec, Action action) {
        return run(spec, Optional.empty(), action);
    }

    /** Runs {@code action} with {@code token} when present, else the admin token. */
    int run(CommandSpec spec, Optional<String> token, Action action) {
        PrintWriter err = spec.commandLine().getErr();
        String command = spec.qualifiedName();
        AdminClient client;
        try {
            ConfigSource config = ConfigSource.load(env);
            URI base = URI.create(withSlash(url != null ? url : config.string(Setting.URL)));
            String bearer = token.orElseGet(() -> config.optional(Setting.ADMIN_TOKEN)
                    .orElseThrow(() -> new ConfigException(Setting.ADMIN_TOKEN, "is not set; the admin API needs it")));
            client = new AdminClient(base, bearer);
        } catch (ConfigException e) {
            err.println(command + ": " + e.getMessage());
            err.flush();
            return 2;
        } catch (IllegalArgumentException e) {
            err.println(command + ": " + Setting.URL.envName() + " is not a URL: " + e.getMessage());
            err.flush();
            return 2;
        }
        try {
            action.run(client, spec.commandLine().getOut());
            spec.commandLine().getOut().flush();
            return 0;
        } catch (AdminException e) {
            err.println(command + ": " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    boolean json() {
        return json;
    }

    /** An environment variable the command may read besides the settings. */
    Optional<String> env(String name) {
        return Optional.ofNullable(env.get(name)).filter(value -> !value.isBlank());
    }

    static void printJson(PrintWriter out, JsonNode node) {
        try {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed answer always serializes", e);
        }
    }

    /** A list of names as one cell: {@code echo,http_fetch}. */
    static String names(JsonNode array) {
        StringBuilder joined = new StringBuilder();
        array.forEach(item -> joined.append(joined.length() == 0 ? "" : ",").append(item.asText()));
        return joined.toString();
    }

    private static String withSlash(String url) {
        return url.endsWith("/") ? url : url + "/";
    }
}
