package io.taskgate.platform.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class TargetAddressesTest {

    private static InetAddress[] resolvesTo(String... literals) throws Exception {
        InetAddress[] addresses = new InetAddress[literals.length];
        for (int i = 0; i < literals.length; i++) {
            addresses[i] = InetAddress.getByName(literals[i]);
        }
        return addresses;
    }

    @Test
    void shouldRefuseAHostWhenAnyOfItsAddressesIsPrivateOrMetadata() throws Exception {
        InetAddress[] mixed = resolvesTo("93.184.216.34", "10.0.0.7");
        RefusedAddressException refused = assertThrows(RefusedAddressException.class,
                () -> new TargetAddresses(host -> mixed, false).resolve("hooks.example.com"));
        assertTrue(refused.getMessage().contains("private"), refused.getMessage());

        InetAddress[] metadata = resolvesTo("169.254.169.254");
        assertThrows(RefusedAddressException.class, () -> new TargetAddresses(host -> metadata, false).resolve("metadata"));
    }

    @Test
    void shouldReturnTheCheckedAddressesSoTheConnectionUsesThem() throws Exception {
        InetAddress[] public1 = resolvesTo("93.184.216.34");
        assertArrayEquals(public1, new TargetAddresses(host -> public1, false).resolve("hooks.example.com"));
        InetAddress[] loopback = resolvesTo("127.0.0.1");
        assertArrayEquals(loopback, new TargetAddresses(host -> loopback, true).resolve("localhost"), "allowed for tests");
    }
}
