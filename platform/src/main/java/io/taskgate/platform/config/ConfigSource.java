package io.taskgate.platform.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Settings as the environment, then {@code taskgate.yaml}, then the defaults give them. Typed
 * getters turn a bad value into a {@link ConfigException} that names the setting.
 */
public final class ConfigSource {
    private final Map<String, String> values;
    private final KafkaClientProperties kafkaProperties;

    private ConfigSource(Map<String, String> values) {
        this(values, KafkaClientProperties.none());
    }

    private ConfigSource(Map<String, String> values, KafkaClientProperties kafkaProperties) {
        this.values = Map.copyOf(values);
        this.kafkaProperties = kafkaProperties;
    }

    /** Reads the YAML file named by {@code TASKGATE_CONFIG} (if it exists) under the environment. */
    public static ConfigSource load(Map<String, String> env) {
        Map<String, String> merged = new HashMap<>();
        Map<String, String> yamlKafka = new HashMap<>();
        String explicitFile = env.get(Setting.CONFIG.envName());
        Path file = Path.of(explicitFile == null || explicitFile.isBlank() ? Setting.CONFIG.defaultValue() : explicitFile);
        if (Files.exists(file)) {
            merged.putAll(readYaml(file, yamlKafka));
        } else if (explicitFile != null && !explicitFile.isBlank()) {
            throw new ConfigException(Setting.CONFIG, "file not found: " + file);
        }
        for (Setting setting : Setting.values()) {
            String value = env.get(setting.envName());
            if (value != null) {
                merged.put(setting.envName(), value);
            }
        }
        return new ConfigSource(merged, KafkaClientProperties.from(yamlKafka, env));
    }

    /** Just these values over the defaults; for tests and for what {@code taskgate dev} decides. */
    public static ConfigSource of(Map<Setting, String> values) {
        Map<String, String> byName = new HashMap<>();
        values.forEach((setting, value) -> byName.put(setting.envName(), value));
        return new ConfigSource(byName);
    }

    /** A copy where these settings take the given values unless they were set explicitly. */
    public ConfigSource withDefaults(Map<Setting, String> defaults) {
        Map<String, String> merged = new HashMap<>(values);
        defaults.forEach((setting, value) -> merged.putIfAbsent(setting.envName(), value));
        return new ConfigSource(merged, kafkaProperties);
    }

    /** A copy where these settings take the given values, whatever was set. */
    public ConfigSource with(Map<Setting, String> overrides) {
        Map<String, String> merged = new HashMap<>(values);
        overrides.forEach((setting, value) -> merged.put(setting.envName(), value));
        return new ConfigSource(merged, kafkaProperties);
    }

    /** A copy whose Kafka clients get these properties (TLS, SASL, ...) instead. */
    public ConfigSource withKafkaProperties(KafkaClientProperties properties) {
        return new ConfigSource(values, properties);
    }

    /** What the operator adds to every Kafka client: {@code TASKGATE_KAFKA_*} and the {@code kafka:} map. */
    public KafkaClientProperties kafkaProperties() {
        return kafkaProperties;
    }

    public boolean isSet(Setting setting) {
        String value = values.get(setting.envName());
        return value != null && !value.isBlank();
    }

    public String string(Setting setting) {
        String value = values.get(setting.envName());
        return value == null ? setting.defaultValue() : value.trim();
    }

    public Optional<String> optional(Setting setting) {
        String value = string(setting);
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    public String required(Setting setting) {
        return optional(setting).orElseThrow(() -> new ConfigException(setting, "is required"));
    }

    public int integer(Setting setting, int min, int max) {
        String value = string(setting);
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                throw new ConfigException(setting, "must be between " + min + " and " + max + ", got " + parsed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigException(setting, "must be a whole number, got '" + value + "'");
        }
    }

    public int port(Setting setting) {
        return integer(setting, 0, 65535);
    }

    public boolean bool(Setting setting) {
        String value = string(setting).toLowerCase(java.util.Locale.ROOT);
        return switch (value) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off", "" -> false;
            default -> throw new ConfigException(setting, "must be true or false, got '" + value + "'");
        };
    }

    public Optional<Path> path(Setting setting) {
        return optional(setting).map(Path::of);
    }

    public URI uri(Setting setting) {
        String value = required(setting);
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new ConfigException(setting, "must be an absolute URL, got '" + value + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException(setting, "must be a URL, got '" + value + "'");
        }
    }

    private static Map<String, String> readYaml(Path file, Map<String, String> kafkaMap) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode root;
        try {
            root = yaml.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new ConfigException(Setting.CONFIG, file + " is not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(Setting.CONFIG, "cannot read " + file + ": " + e.getMessage());
        }
        Map<String, String> values = new HashMap<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return values;
        }
        if (!root.isObject()) {
            throw new ConfigException(Setting.CONFIG, file + " must be a map of settings");
        }
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals(KafkaClientProperties.YAML_KEY)) {
                kafkaMap.putAll(kafkaMap(file, field.getValue()));
                continue;
            }
            Setting setting = settingForYamlKey(field.getKey())
                    .orElseThrow(() -> new ConfigException(Setting.CONFIG, file + ": unknown setting '" + field.getKey() + "'"));
            values.put(setting.envName(), field.getValue().isValueNode() ? field.getValue().asText() : field.getValue().toString());
        }
        return values;
    }

    private static Map<String, String> kafkaMap(Path file, JsonNode node) {
        if (!node.isObject()) {
            throw new ConfigException(Setting.CONFIG, file + ": '" + KafkaClientProperties.YAML_KEY + "' must be a map of Kafka client properties");
        }
        Map<String, String> properties = new HashMap<>();
        node.fields().forEachRemaining(entry -> {
            if (!entry.getValue().isValueNode()) {
                throw new ConfigException(Setting.CONFIG, file + ": kafka." + entry.getKey() + " must be a plain value");
            }
            properties.put(entry.getKey(), entry.getValue().asText());
        });
        return properties;
    }

    private static Optional<Setting> settingForYamlKey(String key) {
        for (Setting setting : Setting.values()) {
            if (setting.yamlKey().equals(key)) {
                return Optional.of(setting);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("ConfigSource[");
        values.forEach((name, value) -> {
            boolean secret = java.util.Arrays.stream(Setting.values()).anyMatch(s -> s.envName().equals(name) && s.secret());
            out.append(name).append('=').append(secret ? "****" : value).append(", ");
        });
        return out.append("kafka=").append(kafkaProperties).append(']').toString();
    }
}
