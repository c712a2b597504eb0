package io.taskgate.workers.tools.http;

import io.taskgate.platform.net.AddressPolicy;
import io.taskgate.workers.tools.ToolException;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Refuses a host when any address it resolves to is refused by {@link AddressPolicy}: checking
 * only the first would let a name with one public and one private address through. The JVM caches
 * the answer, so the connection that follows normally uses the addresses checked here.
 */
public final class SsrfGuard implements TargetGuard {

    /** Name resolution, injectable so tests can make a name resolve to anything. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final Resolver resolver;

    public SsrfGuard(Resolver resolver) {
        this.resolver = resolver;
    }

    public static SsrfGuard usingSystemResolver() {
        return new SsrfGuard(InetAddress::getAllByName);
    }

    @Override
    public void check(String host) {
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
            AddressPolicy.refusal(address).ifPresent(reason -> {
                throw ToolException.refused("http_fetch refuses " + host + ": it resolves to a " + reason + " address");
            });
        }
    }
}
