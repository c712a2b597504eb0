package io.taskgate.workers.tools.outside;

import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import java.net.URI;
import java.util.Locale;

/** The base URL of an outside service a tool calls, such as {@code https://api.openai.com/v1}, validated at start. */
public record OutsideTarget(URI base) {

    public static OutsideTarget from(ConfigSource config, Setting setting) {
        URI uri = config.uri(setting);
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ConfigException(setting, "must be an http or https URL, got '" + uri + "'");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new ConfigException(setting, "must be a plain base URL without credentials, query or fragment");
        }
        return new OutsideTarget(uri);
    }

    /** The base with this path appended: {@code /v1} and {@code chat/completions} give {@code /v1/chat/completions}. */
    public URI resolve(String path, String rawQuery) {
        String basePath = base.getRawPath() == null ? "" : base.getRawPath();
        String joined = (basePath.endsWith("/") ? basePath : basePath + "/") + path;
        String port = base.getPort() == -1 ? "" : ":" + base.getPort();
        return URI.create(base.getScheme() + "://" + base.getHost() + port + joined + (rawQuery == null ? "" : "?" + rawQuery));
    }

    public String host() {
        return base.getHost();
    }
}
