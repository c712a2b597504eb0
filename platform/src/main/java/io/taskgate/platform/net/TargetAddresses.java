package io.taskgate.platform.net;

import io.taskgate.schemas.policy.IpAllowlist;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Resolves a host that Taskgate connects to on a caller's behalf (a webhook receiver) and refuses
 * it when any address it resolves to is refused by {@link AddressPolicy}: checking only the first
 * would let a name with one public and one private address through. Used as an HTTP client's name
 * resolution, the addresses checked here are the ones connected to, so a name that changes its
 * answer between the check and the connection (DNS rebinding) gains nothing.
 */
public final class TargetAddresses {

    /** Name resolution, injectable so tests can make a name resolve to anything. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final Resolver resolver;
    private final boolean allowPrivate;
    private final IpAllowlist allowedRanges;

    /** @param allowPrivate {@code TASKGATE_HTTP_FETCH_ALLOW_PRIVATE}: every address may be reached (tests only) */
    public TargetAddresses(Resolver resolver, boolean allowPrivate) {
        this(resolver, allowPrivate, List.of());
    }

    /**
     * @param allowedRanges blocks that may be reached although {@link AddressPolicy} refuses them
     *                      ({@code TASKGATE_HTTP_FETCH_ALLOW_CIDRS})
     */
    public TargetAddresses(Resolver resolver, boolean allowPrivate, List<String> allowedRanges) {
        this.resolver = resolver;
        this.allowPrivate = allowPrivate;
        // An empty IpAllowlist allows everything; no ranges must allow nothing extra.
        this.allowedRanges = allowedRanges.isEmpty() ? null : IpAllowlist.parse(allowedRanges);
    }

    public static TargetAddresses usingSystemResolver(boolean allowPrivate) {
        return new TargetAddresses(InetAddress::getAllByName, allowPrivate);
    }

    /** The host's addresses, all of them allowed; {@link RefusedAddressException} naming the reason otherwise. */
    public InetAddress[] resolve(String host) throws UnknownHostException {
        InetAddress[] addresses = resolver.resolve(host);
        if (addresses == null || addresses.length == 0) {
            throw new UnknownHostException("cannot resolve host " + host);
        }
        if (allowPrivate) {
            return addresses;
        }
        for (InetAddress address : addresses) {
            if (allowedRanges != null && allowedRanges.allows(address)) {
                continue;
            }
            var refusal = AddressPolicy.refusal(address);
            if (refusal.isPresent()) {
                throw new RefusedAddressException(host + ": it resolves to a " + refusal.get() + " address");
            }
        }
        return addresses;
    }
}
