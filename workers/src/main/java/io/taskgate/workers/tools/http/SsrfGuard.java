package io.taskgate.workers.tools.http;

import io.taskgate.schemas.policy.IpAllowlist;
import io.taskgate.workers.tools.ToolException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Refuses a host when any address it resolves to is refused by {@link AddressPolicy}: checking
 * only the first would let a name with one public and one private address through. The addresses
 * {@link #resolveChecked} returns are the ones checked; http_fetch connects to them without a
 * second lookup ({@link CheckedAddresses}).
 */
public final class SsrfGuard implements TargetGuard {

    /** Name resolution, injectable so tests can make a name resolve to anything. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final Resolver resolver;
    private final IpAllowlist allowedRanges;

    public SsrfGuard(Resolver resolver) {
        this(resolver, List.of());
    }

    /** @param allowedRanges blocks that may be reached although {@link AddressPolicy} refuses them (TASKGATE_HTTP_FETCH_ALLOW_CIDRS) */
    public SsrfGuard(Resolver resolver, List<String> allowedRanges) {
        this.resolver = resolver;
        // An empty IpAllowlist allows everything; no ranges must allow nothing extra.
        this.allowedRanges = allowedRanges.isEmpty() ? null : IpAllowlist.parse(allowedRanges);
    }

    public static SsrfGuard usingSystemResolver() {
        return new SsrfGuard(InetAddress::getAllByName);
    }

    public static SsrfGuard usingSystemResolver(List<String> allowedRanges) {
        return new SsrfGuard(InetAddress::getAllByName, allowedRanges);
    }

    @Override
    public void check(String host) {
        resolveChecked(host);
    }

    @Override
    public List<InetAddress> resolveChecked(String host) {
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw ToolException.failed("http_fetch cannot resolve host " + host);
        }
        if (addresses == null || addresses.length == 0) {
            throw ToolException.failed("http_fetch cannot resolve host " + host);
        }
        for (InetAddress address : addresses) {
            if (allowedRanges != null && allowedRanges.allows(address)) {
                continue;
            }
            AddressPolicy.refusal(address).ifPresent(reason -> {
                throw ToolException.refused("http_fetch refuses " + host + ": it resolves to a " + reason + " address");
            });
        }
        return List.of(addresses);
    }
}
