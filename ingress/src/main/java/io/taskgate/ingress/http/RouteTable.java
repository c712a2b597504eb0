package io.taskgate.ingress.http;

import io.undertow.predicate.Predicate;
import io.undertow.server.HttpHandler;
import io.undertow.server.RoutingHandler;
import io.undertow.util.HttpString;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * Undertow's router, remembering which routes it was given ({@code "GET /api/agents/{id}"}), so
 * that the OpenAPI document can be checked against what the server really answers.
 */
public final class RouteTable extends RoutingHandler {
    private final Set<String> routes = Collections.synchronizedSet(new TreeSet<>());

    @Override
    public synchronized RoutingHandler add(HttpString method, String template, HttpHandler handler) {
        routes.add(method + " " + template);
        return super.add(method, template, handler);
    }

    @Override
    public synchronized RoutingHandler add(HttpString method, String template, Predicate predicate, HttpHandler handler) {
        routes.add(method + " " + template);
        return super.add(method, template, predicate, handler);
    }

    /** Every route added, as {@code METHOD /template}, sorted. */
    public Set<String> routes() {
        synchronized (routes) {
            return Set.copyOf(routes);
        }
    }
}
