package io.taskgate.webhooks.deliver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HostLimitsTest {

    @Test
    void shouldLimitEachHostOnItsOwn() {
        HostLimits limits = new HostLimits(2);
        assertTrue(limits.tryAcquire("dead.example:443"));
        assertTrue(limits.tryAcquire("dead.example:443"));
        assertFalse(limits.tryAcquire("dead.example:443"), "a third attempt to a full host waits");
        assertTrue(limits.tryAcquire("alive.example:443"), "another host is not held up");

        limits.release("dead.example:443");
        assertTrue(limits.tryAcquire("dead.example:443"), "a released slot is free again");
    }

    @Test
    void shouldKeyReceiversByHostAndPort() {
        assertEquals("hooks.example.com:-1", Deliverer.hostOf("https://HOOKS.example.com/a?token=x"));
        assertEquals("hooks.example.com:8443", Deliverer.hostOf("https://hooks.example.com:8443/b"));
    }
}
