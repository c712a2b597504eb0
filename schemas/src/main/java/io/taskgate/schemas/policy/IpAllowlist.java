package io.taskgate.schemas.policy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The policy's {@code ingress.ip_allowlist}, compiled once, by the policy parser, into what the
 * edge applies, so that whatever a policy may say the edge can enforce. Entries: exact addresses
 * ({@code 127.0.0.1}, {@code ::1}), CIDR blocks of either family ({@code 10.0.0.0/8},
 * {@code fd00::/8}) and IPv4 wildcards ending in {@code *} ({@code 192.168.*}). An empty list
 * allows everyone. Entries are address literals only: nothing here ever resolves a host name.
 *
 * <p>An IPv4-mapped IPv6 entry ({@code ::ffff:10.0.0.0/104}) means its IPv4 form
 * ({@code 10.0.0.0/8}); its prefix must cover the 96 mapping bits, since a shorter one would
 * name IPv6 addresses the mapped notation cannot express.
 */
public final class IpAllowlist {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV4_WILDCARD = Pattern.compile("(\\d{1,3}\\.){1,3}\\*");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final Pattern PREFIX = Pattern.compile("\\d{1,3}");
    private static final int IPV4_MAPPED_BITS = 96;

    private final List<String> entries;
    private final List<Rule> rules;

    private IpAllowlist(List<String> entries, List<Rule> rules) {
        this.entries = List.copyOf(entries);
        this.rules = List.copyOf(rules);
    }

    /** Allows every address. */
    public static IpAllowlist everyone() {
        return new IpAllowlist(List.of(), List.of());
    }

    /**
     * Compiles the entries.
     *
     * @throws InvalidEntry naming the index of the first entry that is not an address, CIDR block or wildcard
     */
    public static IpAllowlist parse(List<String> entries) {
        List<Rule> rules = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i) == null ? "" : entries.get(i).trim();
            try {
                rules.add(rule(entry));
            } catch (IllegalArgumentException e) {
                throw new InvalidEntry(i, entry, e.getMessage());
            }
        }
        return new IpAllowlist(entries, rules);
    }

    /** The entries as written. */
    public List<String> entries() {
        return entries;
    }

    public boolean allows(InetAddress address) {
        if (rules.isEmpty()) {
            return true;
        }
        if (address == null) {
            return false;
        }
        byte[] bytes = address.getAddress();
        return rules.stream().anyMatch(rule -> rule.matches(bytes));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IpAllowlist that && entries.equals(that.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return entries.toString();
    }

    private static Rule rule(String entry) {
        if (entry.endsWith("*")) {
            return Wildcard.parse(entry);
        }
        int slash = entry.indexOf('/');
        if (slash < 0) {
            byte[] address = literal(entry);
            return new Cidr(address, address.length * 8);
        }
        String prefixText = entry.substring(slash + 1);
        if (!PREFIX.matcher(prefixText).matches()) {
            throw new IllegalArgumentException("the prefix length is not a number");
        }
        int prefix = Integer.parseInt(prefixText);
        byte[] network = literal(entry.substring(0, slash));
        if (network.length == 4 && entry.indexOf(':') >= 0) {
            if (prefix < IPV4_MAPPED_BITS || prefix > 128) {
                throw new IllegalArgumentException("an IPv4-mapped block (::ffff:a.b.c.d) takes a prefix of 96 to 128;"
                        + " write its IPv4 form instead (10.0.0.0/8)");
            }
            prefix -= IPV4_MAPPED_BITS;
        }
        if (prefix > network.length * 8) {
            throw new IllegalArgumentException("the prefix length must be 0 to " + network.length * 8);
        }
        return new Cidr(network, prefix);
    }

    private static byte[] literal(String text) {
        if (IPV4.matcher(text).matches()) {
            String[] parts = text.split("\\.");
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                bytes[i] = (byte) octet(parts[i]);
            }
            return bytes;
        }
        // Only hex digits, colons and dots reach InetAddress, so it parses a literal and never asks DNS.
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

    /** An entry that does not compile, with its index in the list. */
    public static final class InvalidEntry extends IllegalArgumentException {
        private final int index;
        private final String problem;

        InvalidEntry(int index, String entry, String problem) {
            super("ip_allowlist[" + index + "] '" + entry + "': " + problem);
            this.index = index;
            this.problem = problem;
        }

        public int index() {
            return index;
        }

        /** What is wrong with the entry, without naming it. */
        public String problem() {
            return problem;
        }
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

    /** Leading IPv4 octets followed by {@code *}: {@code 192.168.*} matches 192.168.0.0 to 192.168.255.255. */
    private record Wildcard(int[] octets) implements Rule {

        static Wildcard parse(String entry) {
            if (!IPV4_WILDCARD.matcher(entry).matches()) {
                throw new IllegalArgumentException("a wildcard is one to three octets and a final '*', as in 192.168.*");
            }
            String[] parts = entry.substring(0, entry.length() - 2).split("\\.");
            int[] octets = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                octets[i] = octet(parts[i]);
            }
            return new Wildcard(octets);
        }

        @Override
        public boolean matches(byte[] address) {
            if (address.length != 4) {
                return false;
            }
            for (int i = 0; i < octets.length; i++) {
                if ((address[i] & 0xff) != octets[i]) {
                    return false;
                }
            }
            return true;
        }
    }
}
