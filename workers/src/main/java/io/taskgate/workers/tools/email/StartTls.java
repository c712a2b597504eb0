package io.taskgate.workers.tools.email;

import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.Setting;
import java.util.Locale;

/** {@code TASKGATE_SMTP_STARTTLS}: whether the SMTP session must, may or must not switch to TLS. */
public enum StartTls {
    REQUIRED, OPTIONAL, OFF;

    static StartTls parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Setting.SMTP_STARTTLS, "must be required, optional or off, got '" + value + "'");
        }
    }
}
