package io.taskgate.platform.config;

/** A missing or invalid setting. Its message is the one line a service prints before it stops. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(Setting setting, String problem) {
        super(setting.envName() + ": " + problem);
    }

    public ConfigException(String message) {
        super(message);
    }
}
