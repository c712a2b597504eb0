package io.taskgate.workers.tools.http;

import io.taskgate.platform.net.RefusedAddressException;
import io.taskgate.platform.net.TargetAddresses;
import io.taskgate.tool.api.ToolException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Refuses a host when any address it resolves to is refused by the one address policy of
 * {@link TargetAddresses} (which ingress and webhooks use too). The addresses
 * {@link #resolveChecked} returns are the ones checked; http_fetch connects to them without a
 * second lookup ({@link CheckedAddresses}).
 */
public final class SsrfGuard implements TargetGuard {
    private final TargetAddresses addresses;

    public SsrfGuard(TargetAddresses.Resolver resolver) {
        this(resolver, List.of());
    }

    /** @param allowedRanges blocks that may be reached although the address policy refuses them (TASKGATE_HTTP_FETCH_ALLOW_CIDRS) */
    public SsrfGuard(TargetAddresses.Resolver resolver, List<String> allowedRanges) {
        this.addresses = new TargetAddresses(resolver, false, allowedRanges);
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
        try {
            return List.of(addresses.resolve(host));
        } catch (RefusedAddressException e) {
            throw ToolException.refused("http_fetch refuses " + e.getMessage());
        } catch (UnknownHostException e) {
            throw ToolException.failed("http_fetch cannot resolve host " + host);
        }
    }
}
