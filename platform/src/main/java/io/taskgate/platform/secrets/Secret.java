package io.taskgate.platform.secrets;

import java.util.Objects;

/**
 * A tool secret's value. It prints as {@code ****} wherever it ends up (a log line, an exception,
 * a record's {@code toString}); only {@link #reveal()} gives the value, at the one place that
 * sends it to the outside service.
 */
public final class Secret {
    private final String value;

    public Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "****";
    }
}
