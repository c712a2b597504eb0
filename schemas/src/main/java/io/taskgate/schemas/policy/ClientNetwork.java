package io.taskgate.schemas.policy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The unit a per-client limit counts: an IPv4 address, or the /64 an IPv6 address is in. One IPv6
 * subscriber is routinely given a whole /64 and can rotate through 2^64 addresses, so counting
 * IPv6 addresses one by one would limit nobody. An IPv4-mapped IPv6 address counts as its IPv4 form.
 */
public final class ClientNetwork {
    private static final int IPV6_PREFIX_BYTES = 8;
    /** Address literals only, so that parsing one never becomes a DNS lookup. */
    private static final Pattern LITERAL = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private ClientNetwork() {
    }

    /** As {@link #of(InetAddress)} for an address written as text; text that is no address literal stays as it is. */
    public static String of(String address) {
        return literal(address).map(ClientNetwork::of).orElse(address == null ? "unknown" : address);
    }

    /** The address an IPv4 or IPv6 literal names; empty for anything else, which is never looked up in DNS. */
    public static Optional<InetAddress> literal(String text) {
        if (text == null || !LITERAL.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** {@code 203.0.113.7}, or {@code 2001:db8:1:2:0:0:0:0/64} for any address in that /64; {@code unknown} for none. */
    public static String of(InetAddress address) {
        if (address == null) {
            return "unknown";
        }
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] network = Arrays.copyOf(address.getAddress(), 16);
        Arrays.fill(network, IPV6_PREFIX_BYTES, network.length, (byte) 0);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 16; i += 2) {
            text.append(Integer.toHexString(((network[i] & 0xff) << 8) | (network[i + 1] & 0xff))).append(i < 14 ? ":" : "");
        }
        return text.append("/64").toString();
    }
}
