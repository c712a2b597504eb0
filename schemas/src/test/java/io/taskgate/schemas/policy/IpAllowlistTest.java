package io.taskgate.ingress.edge;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.schemas.policy.PolicyParser;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpAllowlistTest {

    @Test
    void shouldAllowEveryoneWhenEmpty() throws Exception {
        assertTrue(IpAllowlist.parse(List.of()).allows(InetAddress.getByName("203.0.113.9")));
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
    }

    @Test
    void shouldMatchIpv4Wildcards() throws Exception {
        IpAllowlist list = IpAllowlist.parse(List.of("192.168.*", "10.*.0.1"));

        assertTrue(list.allows(address("192.168.44.5")));
        assertFalse(list.allows(address("192.169.0.1")));
        assertTrue(list.allows(address("10.77.0.1")));
        assertFalse(list.allows(address("10.77.0.2")));
        assertFalse(list.allows(address("::1")));
    }

    @Test
    void shouldMatchIpv4MappedIpv6PeersAsIpv4() throws Exception {
        assertTrue(IpAllowlist.parse(List.of("10.0.0.0/8")).allows(address("::ffff:10.1.2.3")));
        assertTrue(IpAllowlist.parse(List.of("::ffff:10.0.0.0/104")).allows(address("10.1.2.3")));
    }

    @Test
    void shouldAllowEveryoneWithAStar() throws Exception {
        assertTrue(IpAllowlist.parse(List.of("10.0.0.0/8", "*")).allows(address("203.0.113.9")));
    }

    @Test
    void shouldRefuseHostNamesAndBadEntriesNamingTheIndex() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IpAllowlist.parse(List.of("10.0.0.0/8", "example.com")));
        assertTrue(e.getMessage().startsWith("ip_allowlist[1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IpAllowlist.parse(List.of("10.0.0.0/33")));
        assertThrows(IllegalArgumentException.class, () -> IpAllowlist.parse(List.of("300.1.1.1")));
        assertThrows(IllegalArgumentException.class, () -> IpAllowlist.parse(List.of("192.168")));
    }

    @Test
    void shouldAdmitNobodyWhenFallingBack() throws Exception {
        assertFalse(IpAllowlist.nobody().allows(address("127.0.0.1")));
    }

    @Test
    void shouldCompileEveryFormThePolicyParserAccepts() throws Exception {
        List<String> entries = PolicyParser.parse("""
                version: 1
                ingress:
                  ip_allowlist: [10.0.0.0/8, "192.168.*", 127.0.0.1, "::1", "fd00::/8", "10.1.*"]
                """).ingress().ipAllowlist();

        IpAllowlist list = IpAllowlist.parse(entries);

        assertTrue(list.allows(address("fd12::1")));
        assertTrue(list.allows(address("192.168.0.1")));
    }

    private static InetAddress address(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }
}
