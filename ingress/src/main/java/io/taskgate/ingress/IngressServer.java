package io.taskgate.ingress;

import io.micrometer.core.instrument.MeterRegistry;
import io.taskgate.ingress.edge.IpAllowlistHandler;
import io.taskgate.ingress.edge.PerIpRateLimitHandler;
import io.taskgate.ingress.edge.PerIpRateLimiter;
import io.taskgate.ingress.http.ErrorMappingHandler;
import io.taskgate.ingress.http.RequestLogContext;
import io.taskgate.ingress.http.RequestMetricsHandler;
import io.taskgate.platform.http.RequestIds;
import io.taskgate.schemas.policy.Policy;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Supplier;
import org.xnio.Options;

/**
 * The Undertow server of ingress and its handler chain, which reads from the outside in: drain on
 * shutdown, request id, log context, metrics, error mapping, the policy's edge protections, then the routes.
 */
final class IngressServer implements AutoCloseable {
    private static final int IO_THREADS = 2;
    private static final int WORKER_THREADS = 16;
    /** Longer than a task's publish may take (TaskPublisher bounds it at 10 s), so every POST in flight is answered. */
    private static final Duration DRAIN = Duration.ofSeconds(12);
    // No server-wide MAX_ENTITY_SIZE: Undertow would refuse an oversized body with a bare 400
    // before any handler runs. JsonBodies sets the limit per exchange and answers 413 in the
    // error shape instead.

    private final Undertow server;
    private final GracefulShutdownHandler drain;

    private IngressServer(Undertow server, GracefulShutdownHandler drain) {
        this.server = server;
        this.drain = drain;
    }

    static IngressServer start(IngressConfig config, HttpHandler routes, Supplier<Policy> policy, PerIpRateLimiter limiter,
                               MeterRegistry metrics) {
        HttpHandler edge = new IpAllowlistHandler(policy, metrics,
                new PerIpRateLimitHandler(policy, limiter, metrics, routes));
        GracefulShutdownHandler drain = Handlers.gracefulShutdown(
                new RequestIds(
                        new RequestLogContext(IngressService.SERVICE,
                                new RequestMetricsHandler(metrics,
                                        new ErrorMappingHandler(edge)))));
        Undertow server = Undertow.builder()
                .addHttpListener(config.port(), config.host())
                .setIoThreads(IO_THREADS)
                .setWorkerThreads(WORKER_THREADS)
                .setSocketOption(Options.BACKLOG, 1024)
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, 64 * 1024)
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, 10_000)
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, 60_000)
                .setHandler(drain)
                .build();
        server.start();
        return new IngressServer(server, drain);
    }

    int port() {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** Stops taking requests, lets those in flight finish for a few seconds, then stops. */
    @Override
    public void close() {
        drain.shutdown();
        try {
            drain.awaitShutdown(DRAIN.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop();
    }
}
