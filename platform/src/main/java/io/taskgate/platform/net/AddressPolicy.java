package io.taskgate.platform.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;

/**
 * Which addresses a fetch on a caller's behalf must never reach: loopback, private, link-local,
 * shared (CGNAT), unique-local, multicast, unspecified and reserved ranges, including IPv4
 * addresses wrapped in IPv6 forms (mapped, compatible, NAT64, 6to4, Teredo), so that a caller
 * cannot reach the worker's own network or a cloud metadata endpoint through a task.
 */
public final class AddressPolicy {

    private AddressPolicy() {
    }

    /** Why this address is refused, such as {@code "loopback"}, or empty when it may be reached. */
    public static Optional<String> refusal(InetAddress address) {
        byte[] bytes = address.getAddress();
        return address instanceof Inet4Address ? refusalV4(bytes) : refusalV6(bytes);
    }

    private static Optional<String> refusalV4(byte[] address) {
        int first = address[0] & 0xff;
        int second = address[1] & 0xff;
        if (first == 0) {
            return Optional.of("unspecified");
        }
        if (first == 127) {
            return Optional.of("loopback");
        }
        if (first == 10 || (first == 172 && (second & 0xf0) == 16) || (first == 192 && second == 168)) {
            return Optional.of("private");
        }
        if (first == 169 && second == 254) {
            return Optional.of("link-local");
        }
        if (first == 100 && (second & 0xc0) == 64) {
            return Optional.of("shared (carrier-grade NAT)");
        }
        if (first >= 224 && first <= 239) {
            return Optional.of("multicast");
        }
        if (first >= 240) {
            return Optional.of("reserved");
        }
        return Optional.empty();
    }

    private static Optional<String> refusalV6(byte[] address) {
        int first = address[0] & 0xff;
        int second = address[1] & 0xff;
        if (isZero(address, 0, 16)) {
            return Optional.of("unspecified");
        }
        if (isZero(address, 0, 15) && address[15] == 1) {
            return Optional.of("loopback");
        }
        if (first == 0xff) {
            return Optional.of("multicast");
        }
        if (first == 0xfe && (second & 0xc0) == 0x80) {
            return Optional.of("link-local");
        }
        if (first == 0xfe && (second & 0xc0) == 0xc0) {
            return Optional.of("site-local");
        }
        if ((first & 0xfe) == 0xfc) {
            return Optional.of("unique-local");
        }
        if (first == 0x20 && second == 0x01 && address[2] == 0 && address[3] == 0) {
            // Teredo hides the client address obfuscated; a fetch has no business tunnelling.
            return Optional.of("Teredo tunnel");
        }
        return embeddedIpv4(address).flatMap(AddressPolicy::refusalV4).map(reason -> reason + " (embedded in IPv6)");
    }

    /** The IPv4 address an IPv6 form carries, for the forms that route to it. */
    private static Optional<byte[]> embeddedIpv4(byte[] address) {
        boolean mapped = isZero(address, 0, 10) && (address[10] & 0xff) == 0xff && (address[11] & 0xff) == 0xff;
        boolean compatible = isZero(address, 0, 12);
        boolean nat64 = address[0] == 0 && (address[1] & 0xff) == 0x64 && (address[2] & 0xff) == 0xff
                && (address[3] & 0xff) == 0x9b && isZero(address, 4, 12);
        if (mapped || compatible || nat64) {
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
