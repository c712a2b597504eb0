package io.taskgate.platform.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.RoutingHandler;
import java.net.InetSocketAddress;

/**
 * The small HTTP server of a service that has no API of its own (policy-stream, workers, the
 * audit sink): {@code /health} and {@code /metrics}, plus any routes the service adds.
 */
public final class OpsServer implements AutoCloseable {
    private final Undertow server;

    public OpsServer(String host, int port, HealthReport health, PrometheusMeterRegistry metrics, RoutingHandler extraRoutes) {
        RoutingHandler routes = Handlers.routing()
                .get("/health", OpsHandlers.health(health))
                .get("/api/health", OpsHandlers.health(health))
                .get("/metrics", OpsHandlers.metrics(metrics))
                .get("/api/metrics", OpsHandlers.metrics(metrics));
        if (extraRoutes != null) {
            routes.addAll(extraRoutes);
        }
        HttpHandler root = routes;
        this.server = Undertow.builder().addHttpListener(port, host).setIoThreads(1).setWorkerThreads(4).setHandler(root).build();
    }

    public OpsServer start() {
        server.start();
        return this;
    }

    public int port() {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        server.stop();
    }
}
