package io.taskgate.platform.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses a fetch on a caller's behalf must never reach: every range of the IANA IPv4 and
 * IPv6 Special-Purpose Address Registries that is not globally reachable (loopback, private,
 * link-local, shared CGNAT, benchmarking, documentation, "this network", protocol assignments),
 * multicast and reserved space, the cloud metadata addresses outside those, and IPv4 addresses
 * wrapped in IPv6 forms (mapped, NAT64, 6to4, Teredo), so that a caller cannot reach the worker's
 * own network or a cloud metadata endpoint through a task.
 */
public final class AddressPolicy {

    /** One refused block; the first block of the table that holds an address gives the reason. */
    private record Block(byte[] network, int prefix, String reason) {
        static Block of(String cidr, String reason) {
            int slash = cidr.indexOf('/');
            try {
                byte[] network = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
                boolean ipv6 = cidr.contains(":");
                if (ipv6 && network.length == 4) {
                    // The JDK reads "::ffff:a.b.c.d" as an IPv4 address; the block is of IPv6 addresses.
                    byte[] mapped = new byte[16];
                    mapped[10] = (byte) 0xff;
                    mapped[11] = (byte) 0xff;
                    System.arraycopy(network, 0, mapped, 12, 4);
                    network = mapped;
                }
                return new Block(network, Integer.parseInt(cidr.substring(slash + 1)), reason);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(cidr, e);
            }
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private static final List<Block> IPV4 = List.of(
            Block.of("0.0.0.0/32", "unspecified"),
            Block.of("0.0.0.0/8", "\"this network\""),
            Block.of("10.0.0.0/8", "private"),
            Block.of("100.64.0.0/10", "shared (carrier-grade NAT)"),
            Block.of("127.0.0.0/8", "loopback"),
            Block.of("169.254.0.0/16", "link-local"),
            Block.of("172.16.0.0/12", "private"),
            Block.of("192.0.0.0/24", "IETF protocol assignment"),
            Block.of("192.0.2.0/24", "documentation"),
            Block.of("192.31.196.0/24", "AS112"),
            Block.of("192.52.193.0/24", "AMT"),
            Block.of("192.88.99.0/24", "6to4 relay anycast"),
            Block.of("192.168.0.0/16", "private"),
            Block.of("192.175.48.0/24", "AS112"),
            Block.of("198.18.0.0/15", "benchmarking"),
            Block.of("198.51.100.0/24", "documentation"),
            Block.of("203.0.113.0/24", "documentation"),
            // Azure's wire server answers metadata and agent traffic on a public-looking address.
            Block.of("168.63.129.16/32", "cloud metadata"),
            Block.of("224.0.0.0/4", "multicast"),
            Block.of("240.0.0.0/4", "reserved"));

    private static final List<Block> IPV6 = List.of(
            Block.of("::/128", "unspecified"),
            Block.of("::1/128", "loopback"),
            Block.of("::ffff:0:0/96", "IPv4-mapped"),
            Block.of("64:ff9b:1::/48", "local-use NAT64"),
            Block.of("100::/64", "discard-only"),
            Block.of("2001:db8::/32", "documentation"),
            // Teredo hides the client address obfuscated; a fetch has no business tunnelling.
            Block.of("2001::/32", "Teredo tunnel"),
            Block.of("2001::/23", "IETF protocol assignment"),
            Block.of("3fff::/20", "documentation"),
            Block.of("5f00::/16", "segment routing"),
            Block.of("fc00::/7", "unique-local"),
            Block.of("fe80::/10", "link-local"),
            Block.of("fec0::/10", "site-local"),
            Block.of("ff00::/8", "multicast"));

    private AddressPolicy() {
    }

    /** Why this address is refused, such as {@code "loopback"}, or empty when it may be reached. */
    public static Optional<String> refusal(InetAddress address) {
        byte[] bytes = address.getAddress();
        return address instanceof Inet4Address ? refusalV4(bytes) : refusalV6(bytes);
    }

    private static Optional<String> refusalV4(byte[] address) {
        return firstBlockHolding(IPV4, address);
    }

    private static Optional<String> refusalV6(byte[] address) {
        return firstBlockHolding(IPV6, address)
                .or(() -> embeddedIpv4(address).flatMap(AddressPolicy::refusalV4).map(reason -> reason + " (embedded in IPv6)"));
    }

    private static Optional<String> firstBlockHolding(List<Block> blocks, byte[] address) {
        return blocks.stream().filter(block -> block.contains(address)).map(Block::reason).findFirst();
    }

    /** The IPv4 address an IPv6 form carries, for the forms that route to it: IPv4-compatible, NAT64 (64:ff9b::/96), 6to4. */
    private static Optional<byte[]> embeddedIpv4(byte[] address) {
        boolean compatible = isZero(address, 0, 12);
        boolean nat64 = address[0] == 0 && (address[1] & 0xff) == 0x64 && (address[2] & 0xff) == 0xff
                && (address[3] & 0xff) == 0x9b && isZero(address, 4, 12);
        if (compatible || nat64) {
            return Optional.of(Arrays.copyOfRange(address, 12, 16));
        }
        boolean sixToFour = (address[0] & 0xff) == 0x20 && (address[1] & 0xff) == 0x02;
        if (sixToFour) {
            return Optional.of(Arrays.copyOfRange(address, 2, 6));
        }
        return Optional.empty();
    }

    private static boolean isZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
