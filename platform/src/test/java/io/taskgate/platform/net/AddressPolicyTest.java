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
    })
    void shouldRefuseAddressesOutsideThePublicInternet(String literal, String reason) throws UnknownHostException {
        assertEquals(Optional.of(reason), AddressPolicy.refusal(InetAddress.getByName(literal)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "8.8.8.8", "1.1.1.1", "172.15.255.255", "172.32.0.0", "192.167.255.255", "192.169.0.0",
            "100.63.255.255", "100.128.0.0", "169.253.255.255", "223.255.255.255", "9.255.255.255", "11.0.0.0",
            "2606:4700:4700::1111", "2001:4860:4860::8888", "fbff::1", "fe7f::1", "::8.8.8.8", "64:ff9b::808:808",
            "2002:0808:0808::1",
    })
    void shouldAllowPublicAddresses(String literal) throws UnknownHostException {
        assertEquals(Optional.empty(), AddressPolicy.refusal(InetAddress.getByName(literal)));
    }

    @Test
    void shouldRefuseIpv4MappedIpv6AddressesOfPrivateRanges() throws UnknownHostException {
        // The JDK turns "::ffff:a.b.c.d" text into an Inet4Address; raw bytes keep the IPv6 form.
        assertEquals(Optional.of("loopback (embedded in IPv6)"), AddressPolicy.refusal(mapped(127, 0, 0, 1)));
        assertEquals(Optional.of("link-local (embedded in IPv6)"), AddressPolicy.refusal(mapped(169, 254, 169, 254)));
        assertEquals(Optional.of("private (embedded in IPv6)"), AddressPolicy.refusal(mapped(192, 168, 0, 10)));
        assertEquals(Optional.of("shared (carrier-grade NAT) (embedded in IPv6)"), AddressPolicy.refusal(mapped(100, 100, 1, 1)));
        assertEquals(Optional.empty(), AddressPolicy.refusal(mapped(93, 184, 216, 34)));
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
