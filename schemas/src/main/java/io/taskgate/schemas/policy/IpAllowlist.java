package io.taskgate.ingress.edge;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The policy's {@code ingress.ip_allowlist}, compiled: exact addresses ({@code 127.0.0.1},
 * {@code ::1}), CIDR blocks of either family ({@code 10.0.0.0/8}, {@code fd00::/8}), IPv4
 * wildcards ({@code 192.168.*}, {@code 10.*.0.1}) and {@code *}. An empty list allows everyone.
 * Entries are address literals only: nothing here ever resolves a host name.
 */
public final class IpAllowlist {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    private final List<Rule> rules;
    private final boolean allowsAll;

    private IpAllowlist(List<Rule> rules, boolean allowsAll) {
        this.rules = List.copyOf(rules);
        this.allowsAll = allowsAll;
    }

    /** Compiles the entries; an entry that is not an address, CIDR block or wildcard is refused, naming its index. */
    public static IpAllowlist parse(List<String> entries) {
        List<Rule> rules = new ArrayList<>(entries.size());
        boolean all = entries.isEmpty();
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i) == null ? "" : entries.get(i).trim();
            if (entry.equals("*")) {
                all = true;
                continue;
            }
            try {
                rules.add(rule(entry));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("ip_allowlist[" + i + "] '" + entry + "': " + e.getMessage(), e);
            }
        }
        return new IpAllowlist(rules, all);
    }

    /** Admits no one: what an allowlist that failed to compile falls back to. */
    public static IpAllowlist nobody() {
        return new IpAllowlist(List.of(), false);
    }

    public boolean allowsAll() {
        return allowsAll;
    }

    public boolean allows(InetAddress address) {
        if (allowsAll) {
            return true;
        }
        if (address == null) {
            return false;
        }
        byte[] bytes = address.getAddress();
        for (Rule rule : rules) {
            if (rule.matches(bytes)) {
                return true;
            }
        }
        return false;
    }

    private static Rule rule(String entry) {
        if (entry.contains("*")) {
            return Wildcard.parse(entry);
        }
        int slash = entry.indexOf('/');
        if (slash < 0) {
            byte[] address = literal(entry);
            return new Cidr(address, address.length * 8);
        }
        byte[] network = literal(entry.substring(0, slash));
        int prefix;
        try {
            prefix = Integer.parseInt(entry.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the prefix length is not a number");
        }
        if (network.length == 4 && entry.indexOf(':') >= 0) {
            prefix -= 96;
        }
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("the prefix length must be 0 to " + network.length * 8);
        }
        return new Cidr(network, prefix);
    }

    static byte[] literal(String text) {
        if (IPV4.matcher(text).matches()) {
            String[] parts = text.split("\\.");
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                bytes[i] = (byte) octet(parts[i]);
            }
            return bytes;
        }
        if (text.indexOf(':') >= 0 && IPV6.matcher(text).matches()) {
            try {
                return InetAddress.getByName(text).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IPv6 address");
            }
        }
        throw new IllegalArgumentException("not an IP address, CIDR block or IPv4 wildcard");
    }

    private static int octet(String text) {
        int value = Integer.parseInt(text);
        if (value > 255) {
            throw new IllegalArgumentException("an IPv4 octet is 0 to 255");
        }
        return value;
    }

    private interface Rule {
        boolean matches(byte[] address);
    }

    private record Cidr(byte[] network, int prefix) implements Rule {
        @Override
        public boolean matches(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int fullBytes = prefix / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int restBits = prefix % 8;
            if (restBits == 0) {
                return true;
            }
            int mask = (0xff << (8 - restBits)) & 0xff;
            return (address[fullBytes] & mask) == (network[fullBytes] & mask);
        }
    }

    /** IPv4 octets where {@code *} matches any; missing trailing octets are wildcards ({@code 192.168.*}). */
    private record Wildcard(int[] octets) implements Rule {
        private static final int ANY = -1;

        static Wildcard parse(String entry) {
            String[] parts = entry.split("\\.", -1);
            if (parts.length > 4) {
                throw new IllegalArgumentException("an IPv4 wildcard has at most 4 parts");
            }
            int[] octets = {ANY, ANY, ANY, ANY};
            for (int i = 0; i < parts.length; i++) {
                if (parts[i].equals("*")) {
                    continue;
                }
                if (!parts[i].matches("\\d{1,3}")) {
                    throw new IllegalArgumentException("a wildcard part is an octet or '*'");
                }
                octets[i] = octet(parts[i]);
            }
            if (parts.length < 4 && !parts[parts.length - 1].equals("*")) {
                throw new IllegalArgumentException("a short wildcard ends in '*', as in 192.168.*");
            }
            return new Wildcard(octets);
        }

        @Override
        public boolean matches(byte[] address) {
            if (address.length != 4) {
                return false;
            }
            for (int i = 0; i < 4; i++) {
                if (octets[i] != ANY && (address[i] & 0xff) != octets[i]) {
                    return false;
                }
            }
            return true;
        }
    }
}
