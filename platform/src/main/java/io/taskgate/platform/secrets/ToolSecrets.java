package io.taskgate.platform.secrets;

import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The secrets tools use (API keys, the SMTP password, route secrets), read once at start: from
 * {@code TASKGATE_SECRET_<NAME>} in the environment, which wins, or from the encrypted
 * {@link SecretsFile} in the data directory. A file that cannot be read stops the service at start
 * rather than failing every task later.
 */
public final class ToolSecrets {
    private final Map<String, Secret> secrets;

    ToolSecrets(Map<String, Secret> secrets) {
        this.secrets = Map.copyOf(secrets);
    }

    public static ToolSecrets none() {
        return new ToolSecrets(Map.of());
    }

    public static ToolSecrets load(ConfigSource config, Map<String, String> env) {
        Map<String, Secret> secrets = new HashMap<>();
        Path file = SecretsFile.in(Path.of(config.required(Setting.DATA_DIR)));
        if (Files.exists(file)) {
            if (!config.isSet(Setting.KEK_BASE64)) {
                throw new ConfigException(Setting.KEK_BASE64, "is required to read " + file);
            }
            SecretsFile stored = new SecretsFile(file, SecretsKey.fromBase64(config.string(Setting.KEK_BASE64)), new SecureRandom());
            try {
                stored.read().forEach((name, value) -> secrets.put(name, new Secret(value)));
            } catch (SecretsException e) {
                // A ConfigException is what a starting service prints as its one line before it stops.
                throw new ConfigException(e.getMessage());
            }
        }
        env.forEach((variable, value) -> {
            if (variable.startsWith(SecretNames.ENV_PREFIX) && variable.length() > SecretNames.ENV_PREFIX.length()) {
                try {
                    secrets.put(SecretNames.validate(variable.substring(SecretNames.ENV_PREFIX.length())), new Secret(value));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(variable + ": " + e.getMessage());
                }
            }
        });
        return new ToolSecrets(secrets);
    }

    public Optional<Secret> get(String name) {
        return Optional.ofNullable(secrets.get(SecretNames.validate(name)));
    }

    /** Masks every one of these secrets in what a service says back. */
    public SecretRedactor redactor() {
        return SecretRedactor.of(secrets.values().stream().map(Secret::reveal).toList());
    }

    public Set<String> names() {
        return new TreeSet<>(secrets.keySet());
    }

    @Override
    public String toString() {
        return "ToolSecrets" + names();
    }
}
