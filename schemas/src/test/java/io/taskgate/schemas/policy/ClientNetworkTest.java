package io.taskgate.schemas.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ClientNetworkTest {

    @Test
    void shouldCountEveryAddressOfOneIpv6Slash64AsOneClient() throws Exception {
        String one = ClientNetwork.of(InetAddress.getByName("2001:db8:1:2::1"));
        assertEquals("2001:db8:1:2:0:0:0:0/64", one);
        assertEquals(one, ClientNetwork.of(InetAddress.getByName("2001:db8:1:2:ffff:ffff:ffff:fffe")));
        assertNotEquals(one, ClientNetwork.of(InetAddress.getByName("2001:db8:1:3::1")));
    }

    @Test
    void shouldCountIpv4AddressesOneByOne() throws Exception {
        assertEquals("203.0.113.7", ClientNetwork.of(InetAddress.getByName("203.0.113.7")));
        assertEquals("203.0.113.7", ClientNetwork.of(InetAddress.getByName("::ffff:203.0.113.7")));
        assertEquals("unknown", ClientNetwork.of((InetAddress) null));
        assertEquals("2001:db8:1:2:0:0:0:0/64", ClientNetwork.of("2001:db8:1:2:0:0:0:9"));
        assertEquals("not-an-address.example", ClientNetwork.of("not-an-address.example"));
    }
}
