package io.taskgate.workers.tools.http;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.tool.api.ToolException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SsrfGuardTest {

    @Test
    void shouldRefuseAHostWhenAnyOfItsAddressesIsPrivate() {
        SsrfGuard guard = new SsrfGuard(host -> new InetAddress[] {address("93.184.216.34"), address("10.0.0.5")});

        ToolException refused = assertThrows(ToolException.class, () -> guard.check("mixed.example"));

        assertEquals(ErrorCode.DOMAIN_BLOCKED, refused.code());
        assertFalse(refused.retryable());
        assertTrue(refused.getMessage().contains("mixed.example") && refused.getMessage().contains("private"), refused.getMessage());
        assertFalse(refused.getMessage().contains("10.0.0.5"), "the internal address is not revealed");
    }

    @Test
    void shouldReachOnlyTheSpecialPurposeBlocksTheConfigAllows() {
        SsrfGuard guard = new SsrfGuard(host -> new InetAddress[] {address(host)}, List.of("10.20.0.0/16", "fd00:1::/32"));

        assertEquals(List.of(address("10.20.3.4")), guard.resolveChecked("10.20.3.4"));
        assertDoesNotThrow(() -> guard.check("fd00:1::5"));
        assertThrows(ToolException.class, () -> guard.check("10.21.0.1"), "only the allowed block");
        assertThrows(ToolException.class, () -> guard.check("127.0.0.1"));
        assertThrows(ToolException.class, () -> guard.check("169.254.169.254"));
    }

    @Test
    void shouldResolveOnceAndReturnTheAddressesItChecked() {
        AtomicInteger lookups = new AtomicInteger();
        SsrfGuard guard = new SsrfGuard(host -> {
            lookups.incrementAndGet();
            return new InetAddress[] {address("93.184.216.34"), address("2606:2800:220:1::1")};
        });

        assertEquals(List.of(address("93.184.216.34"), address("2606:2800:220:1::1")), guard.resolveChecked("example.com"));
        assertEquals(1, lookups.get());
    }

    @Test
    void shouldAllowAHostWhoseAddressesAreAllPublic() {
        SsrfGuard guard = new SsrfGuard(host -> new InetAddress[] {address("93.184.216.34"), address("2606:2800:220:1::1")});
        assertDoesNotThrow(() -> guard.check("example.com"));
    }

    @Test
    void shouldRefuseLoopbackLiteralsWithTheSystemResolver() {
        SsrfGuard guard = SsrfGuard.usingSystemResolver();
        assertEquals(ErrorCode.DOMAIN_BLOCKED, assertThrows(ToolException.class, () -> guard.check("127.0.0.1")).code());
        assertEquals(ErrorCode.DOMAIN_BLOCKED, assertThrows(ToolException.class, () -> guard.check("[::1]")).code());
        assertEquals(ErrorCode.DOMAIN_BLOCKED, assertThrows(ToolException.class, () -> guard.check("localhost")).code());
    }

    @Test
    void shouldFailWithoutRetryWhenTheHostDoesNotResolve() {
        SsrfGuard guard = new SsrfGuard(host -> {
            throw new UnknownHostException(host);
        });

        ToolException failure = assertThrows(ToolException.class, () -> guard.check("no.such.host"));

        assertEquals(ErrorCode.TOOL_FAILED, failure.code());
        assertFalse(failure.retryable());
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
