package io.taskgate.platform.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1, loopback",
            "127.255.255.254, loopback",
            "0.0.0.0, unspecified",
            "10.0.0.1, private",
            "10.255.255.255, private",
            "172.16.0.1, private",
            "172.31.255.255, private",
            "192.168.1.1, private",
            "169.254.169.254, link-local",
            "100.64.0.1, shared (carrier-grade NAT)",
            "100.127.255.255, shared (carrier-grade NAT)",
            "224.0.0.1, multicast",
            "239.255.255.250, multicast",
            "255.255.255.255, reserved",
            "::1, loopback",
            "::, unspecified",
            "fe80::1, link-local",
            "febf:ffff::1, link-local",
            "fec0::1, site-local",
            "fc00::1, unique-local",
            "fd12:3456:789a::1, unique-local",
            "ff02::1, multicast",
            "::127.0.0.1, loopback (embedded in IPv6)",
            "::10.1.2.3, private (embedded in IPv6)",
            "64:ff9b::a9fe:a9fe, link-local (embedded in IPv6)",
            "2002:c0a8:0101::1, private (embedded in IPv6)",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2, Teredo tunnel",
            "0.1.2.3, \"this network\"",
            "192.0.0.8, IETF protocol assignment",
            "192.0.2.10, documentation",
            "198.51.100.7, documentation",
            "203.0.113.255, documentation",
            "198.18.0.1, benchmarking",
            "198.19.255.255, benchmarking",
            "192.88.99.1, 6to4 relay anycast",
            "192.31.196.1, AS112",
            "192.175.48.1, AS112",
            "192.52.193.1, AMT",
            "168.63.129.16, cloud metadata",
            "100.100.100.200, shared (carrier-grade NAT)",
            "240.0.0.1, reserved",
            "fd00:ec2::254, unique-local",
            "64:ff9b::7f00:1, loopback (embedded in IPv6)",
            "64:ff9b::c0a8:101, private (embedded in IPv6)",
            "64:ff9b::6440:1, shared (carrier-grade NAT) (embedded in IPv6)",
            "64:ff9b:1::808:808, local-use NAT64",
            "100::1, discard-only",
            "2001:db8::1, documentation",
            "2001:2::1, IETF protocol assignment",
            "3fff::1, documentation",
            "5f00::1, segment routing",
            "2002:a9fe:a9fe::1, link-local (embedded in IPv6)",
    })
    void shouldRefuseAddressesOutsideThePublicInternet(String literal, String reason) throws UnknownHostException {
        assertEquals(Optional.of(reason), AddressPolicy.refusal(InetAddress.getByName(literal)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "8.8.8.8", "1.1.1.1", "172.15.255.255", "172.32.0.0", "192.167.255.255", "192.169.0.0",
            "100.63.255.255", "100.128.0.0", "169.253.255.255", "223.255.255.255", "9.255.255.255", "11.0.0.0",
            "2606:4700:4700::1111", "2001:4860:4860::8888", "fbff::1", "fe7f::1", "::8.8.8.8", "64:ff9b::808:808",
            "2002:0808:0808::1", "198.17.255.255", "198.20.0.0", "192.0.3.1", "203.0.114.1", "168.63.129.17",
            "2001:4860::1", "2001:dc8::1", "4000::1",
    })
    void shouldAllowPublicAddresses(String literal) throws UnknownHostException {
        assertEquals(Optional.empty(), AddressPolicy.refusal(InetAddress.getByName(literal)));
    }

    @Test
    void shouldRefuseEveryIpv4MappedIpv6Address() throws UnknownHostException {
        // The JDK turns "::ffff:a.b.c.d" text into an Inet4Address; raw bytes keep the IPv6 form,
        // which IANA lists as not globally reachable whatever it wraps.
        assertEquals(Optional.of("IPv4-mapped"), AddressPolicy.refusal(mapped(127, 0, 0, 1)));
        assertEquals(Optional.of("IPv4-mapped"), AddressPolicy.refusal(mapped(169, 254, 169, 254)));
        assertEquals(Optional.of("IPv4-mapped"), AddressPolicy.refusal(mapped(93, 184, 216, 34)));
    }

    @Test
    void shouldRefuseMappedTextFormsToo() throws UnknownHostException {
        assertTrue(AddressPolicy.refusal(InetAddress.getByName("::ffff:127.0.0.1")).isPresent());
        assertTrue(AddressPolicy.refusal(InetAddress.getByName("::ffff:a9fe:a9fe")).isPresent());
    }

    private static InetAddress mapped(int a, int b, int c, int d) throws UnknownHostException {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xff;
        bytes[11] = (byte) 0xff;
        bytes[12] = (byte) a;
        bytes[13] = (byte) b;
        bytes[14] = (byte) c;
        bytes[15] = (byte) d;
        InetAddress address = Inet6Address.getByAddress(null, bytes, -1);
        assertTrue(address instanceof Inet6Address, "kept as IPv6");
        return address;
    }
}
