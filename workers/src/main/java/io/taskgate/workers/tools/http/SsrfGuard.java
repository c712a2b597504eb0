package io.taskgate.workers.tools.http;

import io.taskgate.platform.net.RefusedAddressException;
import io.taskgate.platform.net.TargetAddresses;
import io.taskgate.workers.tools.ToolException;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Refuses a host when any address it resolves to is refused by the one address policy of
 * {@link TargetAddresses} (which webhooks use too). The JVM caches the answer, so the connection
 * that follows normally uses the addresses checked here.
 */
public final class SsrfGuard implements TargetGuard {
    private final TargetAddresses addresses;

    public SsrfGuard(TargetAddresses.Resolver resolver) {
        this.addresses = new TargetAddresses(resolver, false);
    }

    public static SsrfGuard usingSystemResolver() {
        return new SsrfGuard(InetAddress::getAllByName);
    }

    @Override
    public void check(String host) {
        try {
            addresses.resolve(host);
        } catch (RefusedAddressException e) {
            throw ToolException.refused("http_fetch refuses " + e.getMessage());
        } catch (UnknownHostException e) {
            throw ToolException.failed("http_fetch cannot resolve host " + host);
        }
    }
}
