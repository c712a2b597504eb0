package io.taskgate.ingress.edge;

import io.taskgate.ingress.http.ClientAddress;
import io.taskgate.schemas.policy.ClientNetwork;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Takes the client address from {@code X-Forwarded-For} when, and only when, the connection comes
 * from a trusted proxy. The list is read from the right, since each proxy appends the peer it saw:
 * the first address that is not itself a trusted proxy is the client. Anything to its left was
 * written by the client and proves nothing. An entry that is no address literal ends the walk at
 * the last hop known good, so a garbled header can only make the client look like its proxy.
 */
public final class ForwardedClientHandler implements HttpHandler {
    static final HttpString X_FORWARDED_FOR = new HttpString("X-Forwarded-For");
    private static final int MAX_HOPS = 32;

    private final EdgeSettings settings;
    private final HttpHandler next;

    public ForwardedClientHandler(EdgeSettings settings, HttpHandler next) {
        this.settings = settings;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        InetAddress peer = ClientAddress.peer(exchange);
        if (peer != null && settings.trustsProxy(peer)) {
            clientOf(exchange, peer).ifPresent(client -> ClientAddress.forwardedFor(exchange, client));
        }
        next.handleRequest(exchange);
    }

    private Optional<InetAddress> clientOf(HttpServerExchange exchange, InetAddress peer) {
        List<String> hops = new ArrayList<>();
        for (String header : exchange.getRequestHeaders().get(X_FORWARDED_FOR) == null
                ? List.<String>of() : exchange.getRequestHeaders().get(X_FORWARDED_FOR)) {
            for (String hop : header.split(",")) {
                hops.add(hop.trim());
            }
        }
        InetAddress client = peer;
        for (int i = hops.size() - 1; i >= 0 && hops.size() - i <= MAX_HOPS; i--) {
            Optional<InetAddress> hop = ClientNetwork.literal(withoutPort(hops.get(i)));
            if (hop.isEmpty()) {
                break;
            }
            client = hop.get();
            if (!settings.trustsProxy(client)) {
                break;
            }
        }
        return client == peer ? Optional.empty() : Optional.of(client);
    }

    /** {@code 203.0.113.7:4711} and {@code [2001:db8::1]:4711} as proxies may write them, without the port. */
    private static String withoutPort(String hop) {
        if (hop.startsWith("[")) {
            int end = hop.indexOf(']');
            return end > 0 ? hop.substring(1, end) : hop;
        }
        int colon = hop.indexOf(':');
        return colon > 0 && colon == hop.lastIndexOf(':') ? hop.substring(0, colon) : hop;
    }
}
