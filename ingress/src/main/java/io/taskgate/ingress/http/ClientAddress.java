package io.taskgate.ingress.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The client of a request: the peer of its connection, unless the edge found that peer to be a
 * trusted proxy and took the client from {@code X-Forwarded-For} (see the edge's
 * {@code ForwardedClientHandler}), which it then attached here. The header alone is never
 * believed: anyone can send it, and the IP allowlist and flood limit must not be that easy to step around.
 */
public final class ClientAddress {
    private static final AttachmentKey<InetAddress> FORWARDED_CLIENT = AttachmentKey.create(InetAddress.class);

    private ClientAddress() {
    }

    public static InetAddress inet(HttpServerExchange exchange) {
        InetAddress forwarded = exchange.getAttachment(FORWARDED_CLIENT);
        return forwarded != null ? forwarded : peer(exchange);
    }

    public static String of(HttpServerExchange exchange) {
        InetAddress address = inet(exchange);
        return address == null ? "unknown" : address.getHostAddress();
    }

    /** The other end of the TCP connection. */
    public static InetAddress peer(HttpServerExchange exchange) {
        InetSocketAddress source = exchange.getSourceAddress();
        return source == null ? null : source.getAddress();
    }

    /** Records the client a trusted proxy named for this request. */
    public static void forwardedFor(HttpServerExchange exchange, InetAddress client) {
        exchange.putAttachment(FORWARDED_CLIENT, client);
    }
}
