package io.taskgate.ingress.http;

import io.undertow.server.HttpServerExchange;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The client of a request is the peer of its connection. {@code X-Forwarded-For} is deliberately
 * not trusted: anyone can send it, and the IP allowlist and flood limit must not be that easy to
 * step around. Behind a proxy, every client is the proxy.
 */
public final class ClientAddress {
    private ClientAddress() {
    }

    public static InetAddress inet(HttpServerExchange exchange) {
        InetSocketAddress source = exchange.getSourceAddress();
        return source == null ? null : source.getAddress();
    }

    public static String of(HttpServerExchange exchange) {
        InetAddress address = inet(exchange);
        return address == null ? "unknown" : address.getHostAddress();
    }
}
