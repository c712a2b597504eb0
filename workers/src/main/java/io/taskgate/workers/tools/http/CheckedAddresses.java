package io.taskgate.workers.tools.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.apache.hc.client5.http.DnsResolver;

/**
 * The name resolver of http_fetch's client, which never resolves: it answers only with the
 * addresses the {@link TargetGuard} resolved and checked just before the request, so the
 * connection goes to an address that was checked and a DNS answer that changes in between (DNS
 * rebinding) is never used. A host nobody checked does not resolve at all.
 */
final class CheckedAddresses implements DnsResolver {
    /** Long enough for a request to reach its connect; every request checks and pins its host again. */
    private static final Duration KEPT = Duration.ofMinutes(1);
    private static final int MAX_HOSTS = 10_000;

    private final Cache<String, InetAddress[]> checked = Caffeine.newBuilder()
            .expireAfterWrite(KEPT)
            .maximumSize(MAX_HOSTS)
            .build();

    /** The guard passed these addresses of host; the next connection to host uses them. */
    void pin(String host, List<InetAddress> addresses) {
        checked.put(key(host), addresses.toArray(InetAddress[]::new));
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        InetAddress[] addresses = checked.getIfPresent(key(host));
        if (addresses == null) {
            throw new UnknownHostException(host + " was not checked by the address guard");
        }
        return addresses.clone();
    }

    @Override
    public String resolveCanonicalHostname(String host) {
        return host;
    }

    private static String key(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return lower.startsWith("[") && lower.endsWith("]") ? lower.substring(1, lower.length() - 1) : lower;
    }
}
