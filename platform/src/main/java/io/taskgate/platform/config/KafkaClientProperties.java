package io.taskgate.platform.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Kafka client properties the operator adds to every client of every service (TLS, SASL, timeouts),
 * from {@code TASKGATE_KAFKA_<PROPERTY>} variables or the {@code kafka:} map of {@code taskgate.yaml}.
 * A variable's name maps to the property the way the official Kafka image maps its own: after the
 * prefix, {@code _} is {@code .}, {@code __} is {@code _} and {@code ___} is {@code -}.
 *
 * <p>Properties Taskgate's guarantees rest on (idempotence, read_committed, manual commits, ids) are
 * refused rather than silently overridden. Values Kafka declares as passwords, and key material,
 * never appear in {@link #toString()}.
 */
public final class KafkaClientProperties {
    public static final String ENV_PREFIX = "TASKGATE_KAFKA_";
    public static final String YAML_KEY = "kafka";
    private static final String MASK = "****";

    /** Set by Taskgate itself; an operator changing them would break a guarantee or a setting. */
    private static final Map<String, String> OWNED = Map.ofEntries(
            Map.entry("bootstrap.servers", "set it with TASKGATE_KAFKA_BOOTSTRAP"),
            Map.entry("client.id", "Taskgate names each client"),
            Map.entry("group.id", "Taskgate names each consumer group"),
            // One value for every client would give all members of a group the same id, and the broker fences all but one.
            Map.entry("group.instance.id", "Taskgate gives each instance its own, kept under DATA_DIR/group-instances"),
            Map.entry("transactional.id", "Taskgate names each transactional producer"),
            Map.entry("enable.idempotence", "Taskgate's producers are idempotent"),
            Map.entry("acks", "Taskgate's producers wait for acks=all"),
            Map.entry("enable.auto.commit", "Taskgate commits offsets itself"),
            Map.entry("isolation.level", "Taskgate reads committed records only"),
            Map.entry("key.serializer", "Taskgate chooses its serializers"),
            Map.entry("value.serializer", "Taskgate chooses its serializers"),
            Map.entry("key.deserializer", "Taskgate chooses its deserializers"),
            Map.entry("value.deserializer", "Taskgate chooses its deserializers"));

    private static final Set<String> KNOWN = knownProperties();

    private final Map<String, String> properties;

    private KafkaClientProperties(Map<String, String> properties) {
        this.properties = Collections.unmodifiableMap(new TreeMap<>(properties));
    }

    public static KafkaClientProperties none() {
        return new KafkaClientProperties(Map.of());
    }

    /**
     * The {@code kafka:} map of a YAML file, overlaid by the environment's {@code TASKGATE_KAFKA_*}
     * variables (those that are not Taskgate settings themselves, like TASKGATE_KAFKA_BOOTSTRAP).
     */
    public static KafkaClientProperties from(Map<String, String> yamlMap, Map<String, String> env) {
        Map<String, String> merged = new LinkedHashMap<>();
        yamlMap.forEach((property, value) -> merged.put(checked(property, YAML_KEY + "." + property), value));
        env.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && !isSetting(name)) {
                merged.put(checked(propertyOf(name), name), value);
            }
        });
        return new KafkaClientProperties(merged);
    }

    /** The property a {@code TASKGATE_KAFKA_*} variable sets, e.g. TASKGATE_KAFKA_SASL_JAAS_CONFIG is sasl.jaas.config. */
    static String propertyOf(String envName) {
        return envName.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT)
                .replace("___", "-").replace("__", "\u0000").replace('_', '.').replace('\u0000', '_');
    }

    /** The properties to add to a client's configuration. */
    public Map<String, String> asMap() {
        return properties;
    }

    public boolean isEmpty() {
        return properties.isEmpty();
    }

    /** True for a value that must never be shown: passwords, JAAS configs (which hold them) and key material. */
    public static boolean isSecret(String property) {
        for (ConfigDef def : new ConfigDef[] {ProducerConfig.configDef(), ConsumerConfig.configDef(), AdminClientConfig.configDef()}) {
            ConfigDef.ConfigKey key = def.configKeys().get(property);
            if (key != null && key.type == ConfigDef.Type.PASSWORD) {
                return true;
            }
        }
        String lower = property.toLowerCase(Locale.ROOT);
        return lower.contains("password") || lower.contains("jaas") || lower.contains("secret") || lower.endsWith(".key");
    }

    private static String checked(String property, String source) {
        String why = OWNED.get(property);
        if (why != null) {
            throw new ConfigException(source + ": " + property + " cannot be set (" + why + ")");
        }
        if (!KNOWN.contains(property)) {
            throw new ConfigException(source + ": " + property + " is not a Kafka client property");
        }
        return property;
    }

    private static boolean isSetting(String envName) {
        for (Setting setting : Setting.values()) {
            if (setting.envName().equals(envName)) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> knownProperties() {
        Set<String> names = new TreeSet<>();
        names.addAll(ProducerConfig.configNames());
        names.addAll(ConsumerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        return Set.copyOf(names);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("{");
        properties.forEach((property, value) -> {
            if (out.length() > 1) {
                out.append(", ");
            }
            out.append(property).append('=').append(isSecret(property) ? MASK : value);
        });
        return out.append('}').toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KafkaClientProperties that && properties.equals(that.properties);
    }

    @Override
    public int hashCode() {
        return properties.hashCode();
    }
}
