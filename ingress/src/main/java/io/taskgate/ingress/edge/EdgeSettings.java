package io.taskgate.ingress.edge;

import io.taskgate.platform.config.ConfigException;
import io.taskgate.platform.config.ConfigSource;
import io.taskgate.platform.config.Setting;
import io.taskgate.schemas.policy.IpAllowlist;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How the edge meets the outside: browser origins allowed by CORS, the proxies whose
 * {@code X-Forwarded-For} is believed, and how long a slow client may take.
 *
 * @param corsOrigins exact origins ({@code https://app.example.com}) or {@code *}; empty: no CORS
 * @param trustedProxies addresses and CIDRs, in the grammar of the policy's IP allowlist; empty: none
 */
public record EdgeSettings(List<String> corsOrigins, IpAllowlist trustedProxies, Duration headerTimeout, Duration readTimeout,
                           Duration idleTimeout) {
    public static final String ANY_ORIGIN = "*";

    public EdgeSettings {
        corsOrigins = List.copyOf(corsOrigins);
    }

    public static EdgeSettings defaults() {
        return new EdgeSettings(List.of(), IpAllowlist.everyone(), Duration.ofSeconds(10), Duration.ofSeconds(60),
                Duration.ofSeconds(60));
    }

    public static EdgeSettings from(ConfigSource config) {
        List<String> origins = commaList(config.string(Setting.CORS_ORIGINS));
        origins.forEach(origin -> {
            if (!isOrigin(origin)) {
                throw new ConfigException(Setting.CORS_ORIGINS,
                        "'" + origin + "' is not an origin: write scheme://host[:port] without a path, or *");
            }
        });
        IpAllowlist proxies;
        try {
            proxies = IpAllowlist.parse(commaList(config.string(Setting.TRUSTED_PROXIES)));
        } catch (IpAllowlist.InvalidEntry e) {
            throw new ConfigException(Setting.TRUSTED_PROXIES, e.getMessage());
        }
        return new EdgeSettings(origins, proxies,
                Duration.ofMillis(config.integer(Setting.HEADER_TIMEOUT_MS, 100, 600_000)),
                Duration.ofMillis(config.integer(Setting.READ_TIMEOUT_MS, 100, 600_000)),
                Duration.ofMillis(config.integer(Setting.IDLE_TIMEOUT_MS, 100, 3_600_000)));
    }

    /** Whether the connection's peer is a proxy whose {@code X-Forwarded-For} is believed. */
    public boolean trustsProxy(InetAddress peer) {
        return !trustedProxies.entries().isEmpty() && trustedProxies.allows(peer);
    }

    private static List<String> commaList(String text) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static boolean isOrigin(String origin) {
        if (origin.equals(ANY_ORIGIN)) {
            return true;
        }
        try {
            URI uri = new URI(origin);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null && uri.getRawPath().isEmpty()
                    && uri.getRawQuery() == null && uri.getRawUserInfo() == null && uri.getRawFragment() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
