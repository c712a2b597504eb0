package io.taskgate.workers.tools.email;

import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.Optional;

/**
 * The SMTP server of {@code email.send}: host and port, the sender address, an optional login (its
 * password is the tool secret {@code smtp_password}) and the STARTTLS mode. Without a host the tool
 * is not configured and its tasks fail saying so.
 */
public record SmtpSettings(Optional<String> host, int port, String from, Optional<String> username, StartTls startTls) {

    public static SmtpSettings from(ConfigSource config) {
        Optional<String> host = config.optional(Setting.SMTP_HOST);
        String from = config.string(Setting.SMTP_FROM);
        if (host.isPresent()) {
            if (from.isEmpty()) {
                throw new ConfigException(Setting.SMTP_FROM, "is required when " + Setting.SMTP_HOST.envName() + " is set");
            }
            try {
                new InternetAddress(from, true);
            } catch (AddressException e) {
                throw new ConfigException(Setting.SMTP_FROM, "is not a valid e-mail address: '" + from + "'");
            }
        }
        return new SmtpSettings(host, config.port(Setting.SMTP_PORT), from, config.optional(Setting.SMTP_USERNAME),
                StartTls.parse(config.string(Setting.SMTP_STARTTLS)));
    }
}
