package io.taskgate.workers.tools.http;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.workers.tools.ToolException;
import java.net.InetAddress;
import java.net.UnknownHostException;
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
