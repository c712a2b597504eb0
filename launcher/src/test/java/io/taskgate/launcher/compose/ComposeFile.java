package io.taskgate.launcher.compose;

import io.taskgate.platform.config.Setting;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The repository's {@code docker-compose.yml} as Compose reads it: YAML with anchors and merge
 * keys, {@code ${VAR}}, {@code ${VAR:-default}} and {@code ${VAR:?error}} interpolation.
 */
public final class ComposeFile {
    public static final Path REPOSITORY = Path.of("..");
    public static final Path FILE = REPOSITORY.resolve("docker-compose.yml");
    public static final String TASKGATE_IMAGE = "taskgate:local";
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");

    private final Map<String, Object> root;

    private ComposeFile(Map<String, Object> root) {
        this.root = root;
    }

    public static ComposeFile load() {
        try (Reader reader = Files.newBufferedReader(FILE)) {
            return parse(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE.toAbsolutePath(), e);
        }
    }

    @SuppressWarnings("unchecked")
    public static ComposeFile parse(Reader reader) {
        Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        return new ComposeFile((Map<String, Object>) loaded);
    }

    /** The whole document, merge keys resolved, as plain maps and lists (for schema validation). */
    public Map<String, Object> document() {
        return root;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Service> services() {
        Map<String, Service> services = new LinkedHashMap<>();
        ((Map<String, Object>) root.get("services")).forEach((name, value) -> services.put(name, new Service(name, (Map<String, Object>) value)));
        return services;
    }

    /** The services that run the Taskgate image (built from this repository). */
    public List<Service> taskgateServices() {
        return services().values().stream().filter(Service::isTaskgate).toList();
    }

    /** Every {@code ${NAME...}} interpolation in the file, by name. */
    public static List<String> variablesIn(String text) {
        List<String> names = new ArrayList<>();
        Matcher matcher = VARIABLE.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /** The value as Compose interpolates it from {@code variables}; a {@code :?} variable unset is an error. */
    public static String interpolate(String value, Map<String, String> variables) {
        Matcher matcher = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String operator = matcher.group(2);
            String argument = matcher.group(3);
            String set = variables.get(name);
            boolean empty = set == null || (operator != null && operator.startsWith(":") && set.isEmpty());
            String replacement;
            if (!empty) {
                replacement = set;
            } else if (operator != null && operator.endsWith("-")) {
                replacement = argument;
            } else if (operator != null && operator.endsWith("?")) {
                throw new IllegalArgumentException("required variable " + name + " is missing a value: " + argument);
            } else {
                replacement = "";
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString().replace("$$", "$");
    }

    /** One service of the file. */
    public record Service(String name, Map<String, Object> definition) {

        public boolean isTaskgate() {
            return TASKGATE_IMAGE.equals(definition.get("image"));
        }

        @SuppressWarnings("unchecked")
        public List<String> command() {
            Object command = definition.get("command");
            return command == null ? List.of() : ((List<Object>) command).stream().map(String::valueOf).toList();
        }

        /** The environment as written (before interpolation), every value a string. */
        @SuppressWarnings("unchecked")
        public Map<String, String> environment() {
            Map<String, String> environment = new LinkedHashMap<>();
            Object declared = definition.get("environment");
            if (declared instanceof Map<?, ?> map) {
                ((Map<String, Object>) map).forEach((key, value) -> environment.put(key, value == null ? "" : String.valueOf(value)));
            }
            return environment;
        }

        @SuppressWarnings("unchecked")
        public List<String> healthcheck() {
            Object healthcheck = definition.get("healthcheck");
            if (!(healthcheck instanceof Map<?, ?> map)) {
                return List.of();
            }
            return ((List<Object>) map.get("test")).stream().map(String::valueOf).toList();
        }

        /** The setting that holds the port this service's HTTP server listens on, by its {@code taskgate} command. */
        public Setting portSetting() {
            String command = command().isEmpty() ? "" : command().get(0);
            return switch (command) {
                case "ingress" -> Setting.PORT;
                case "audit-sink" -> Setting.AUDIT_PORT;
                case "policy" -> Setting.POLICY_PORT;
                case "worker" -> Setting.WORKER_PORT;
                default -> throw new IllegalArgumentException(name + ": no HTTP port known for command " + command());
            };
        }

        /** The URL the health check asks for, the last argument of its command. */
        public String healthcheckUrl() {
            List<String> test = healthcheck();
            return test.isEmpty() ? "" : test.get(test.size() - 1);
        }

        @SuppressWarnings("unchecked")
        public int replicas() {
            Object deploy = definition.get("deploy");
            if (deploy instanceof Map<?, ?> map && map.get("replicas") != null) {
                return ((Number) ((Map<String, Object>) map).get("replicas")).intValue();
            }
            return 1;
        }

        @SuppressWarnings("unchecked")
        public List<String> dependsOn() {
            Object dependsOn = definition.get("depends_on");
            if (dependsOn instanceof Map<?, ?> map) {
                return List.copyOf(((Map<String, Object>) map).keySet());
            }
            return dependsOn == null ? List.of() : ((List<Object>) dependsOn).stream().map(String::valueOf).toList();
        }
    }
}
