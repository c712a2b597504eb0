package io.taskgate.platform.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class TraceContextTest {
    private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void shouldKeepAValidTraceparent() {
        TraceContext context = TraceContext.parse(VALID).orElseThrow();

        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", context.traceId());
        assertEquals(VALID, context.header());
    }

    @Test
    void shouldRefuseInvalidTraceparents() {
        for (String bad : new String[] {"", "garbage", "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", "00-" + "0".repeat(32) + "-00f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-" + "0".repeat(16) + "-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra"}) {
            assertTrue(TraceContext.parse(bad).isEmpty(), bad);
        }
    }

    @Test
    void shouldStartATraceAndSpanChildrenOfIt() {
        SecureRandom random = new SecureRandom();
        TraceContext started = TraceContext.start(random);
        TraceContext child = started.child(random);

        assertTrue(TraceContext.parse(started.header()).isPresent(), started.header());
        assertEquals(started.traceId(), child.traceId());
        assertNotEquals(started.parentId(), child.parentId());
    }
}
