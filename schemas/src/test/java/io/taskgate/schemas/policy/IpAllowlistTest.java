package io.taskgate.schemas.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpAllowlistTest {

    @Test
    void shouldAllowEveryoneWhenEmpty() throws Exception {
        assertTrue(IpAllowlist.parse(List.of()).allows(address("203.0.113.9")));
        assertTrue(IpAllowlist.everyone().allows(address("::1")));
    }

    @Test
    void shouldMatchIpv4Cidr() throws Exception {
        IpAllowlist list = IpAllowlist.parse(List.of("10.0.0.0/8", "172.16.0.0/12"));

        assertTrue(list.allows(address("10.255.1.2")));
        assertTrue(list.allows(address("172.31.255.255")));
        assertFalse(list.allows(address("172.32.0.1")));
        assertFalse(list.allows(address("11.0.0.1")));
    }

    @Test
    void shouldMatchIpv6Cidr() throws Exception {
        IpAllowlist list = IpAllowlist.parse(List.of("2001:db8::/32", "::1"));

        assertTrue(list.allows(address("2001:db8:ffff::1")));
        assertTrue(list.allows(address("::1")));
        assertFalse(list.allows(address("2001:db9::1")));
        assertFalse(list.allows(address("127.0.0.1")));
    }

    @Test
    void shouldMatchExactAddresses() throws Exception {
        IpAllowlist list = IpAllowlist.parse(List.of("127.0.0.1"));

        assertTrue(list.allows(address("127.0.0.1")));
        assertFalse(list.allows(address("127.0.0.2")));
        assertFalse(list.allows(null));
    }

    @Test
    void shouldMatchTrailingIpv4Wildcards() throws Exception {
        IpAllowlist list = IpAllowlist.parse(List.of("192.168.*", "10.1.2.*"));

        assertTrue(list.allows(address("192.168.44.5")));
        assertFalse(list.allows(address("192.169.0.1")));
        assertTrue(list.allows(address("10.1.2.77")));
        assertFalse(list.allows(address("10.1.3.77")));
        assertFalse(list.allows(address("::1")));
    }

    @Test
    void shouldReadIpv4MappedEntriesAsTheirIpv4Form() throws Exception {
        assertTrue(IpAllowlist.parse(List.of("10.0.0.0/8")).allows(address("::ffff:10.1.2.3")));
        assertTrue(IpAllowlist.parse(List.of("::ffff:10.0.0.0/104")).allows(address("10.1.2.3")));
        assertFalse(IpAllowlist.parse(List.of("::ffff:10.0.0.0/104")).allows(address("11.1.2.3")));
        assertTrue(IpAllowlist.parse(List.of("::ffff:10.0.0.1")).allows(address("10.0.0.1")));
    }

    @Test
    void shouldRefuseAnIpv4MappedBlockShorterThanTheMapping() {
        IpAllowlist.InvalidEntry e = assertThrows(IpAllowlist.InvalidEntry.class,
                () -> IpAllowlist.parse(List.of("::ffff:10.0.0.1/24", "127.0.0.1")));

        assertEquals(0, e.index());
        assertTrue(e.problem().contains("96 to 128"), e.problem());
    }

    @Test
    void shouldRefuseHostNamesAndBadEntriesNamingTheIndex() {
        IpAllowlist.InvalidEntry e = assertThrows(IpAllowlist.InvalidEntry.class,
                () -> IpAllowlist.parse(List.of("10.0.0.0/8", "example.com")));
        assertEquals(1, e.index());
        assertTrue(e.getMessage().startsWith("ip_allowlist[1]"), e.getMessage());
        for (String bad : List.of("10.0.0.0/33", "300.1.1.1", "192.168", "*", "10.*.0.1", "::1/129", "10.0.0.0/x", "fe80::1%eth0")) {
            assertThrows(IpAllowlist.InvalidEntry.class, () -> IpAllowlist.parse(List.of(bad)), bad);
        }
    }

    private static InetAddress address(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }
}
