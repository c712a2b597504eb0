package io.taskgate.ingress.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.taskgate.ingress.http.ClientAddress;
import io.taskgate.ingress.testing.TestExchanges;
import io.taskgate.schemas.policy.IpAllowlist;
import io.undertow.server.HttpServerExchange;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ForwardedClientHandlerTest {
    private final AtomicReference<String> seen = new AtomicReference<>();

    @Test
    void shouldTakeTheClientFromATrustedProxysForwardedFor() throws Exception {
        assertEquals("203.0.113.7", clientOf("10.0.0.5", "203.0.113.7", "10.0.0.0/8"));
    }

    @Test
    void shouldIgnoreForwardedForFromAnUntrustedPeer() throws Exception {
        assertEquals("198.51.100.9", clientOf("198.51.100.9", "203.0.113.7", "10.0.0.0/8"));
        assertEquals("10.0.0.5", clientOf("10.0.0.5", "203.0.113.7", ""), "no proxies trusted by default");
    }

    @Test
    void shouldReadFromTheRightSoAClientCannotForgeItsAddress() throws Exception {
        assertEquals("203.0.113.7", clientOf("10.0.0.5", "1.2.3.4, 203.0.113.7, 10.0.0.6", "10.0.0.0/8"));
        assertEquals("203.0.113.7", clientOf("10.0.0.5", "[2001:db8::1]:80, 203.0.113.7:4711", "10.0.0.0/8"));
    }

    @Test
    void shouldStopAtAnEntryThatIsNoAddress() throws Exception {
        assertEquals("10.0.0.5", clientOf("10.0.0.5", "evil.example.com", "10.0.0.0/8"));
        assertEquals("10.0.0.6", clientOf("10.0.0.5", "203.0.113.7, garbage, 10.0.0.6", "10.0.0.0/8"));
    }

    private String clientOf(String peer, String forwardedFor, String trusted) throws Exception {
        List<String> entries = trusted.isEmpty() ? List.of() : List.of(trusted.split(","));
        EdgeSettings settings = new EdgeSettings(List.of(), IpAllowlist.parse(entries), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1));
        HttpServerExchange exchange = TestExchanges.from(peer);
        exchange.getRequestHeaders().put(ForwardedClientHandler.X_FORWARDED_FOR, forwardedFor);
        new ForwardedClientHandler(settings, ex -> seen.set(ClientAddress.of(ex))).handleRequest(exchange);
        return seen.get();
    }
}
