package io.taskgate.ingress;

import io.micrometer.core.instrument.MeterRegistry;
import io.taskgate.ingress.edge.CorsHandler;
import io.taskgate.ingress.edge.EdgeSettings;
import io.taskgate.ingress.edge.ForwardedClientHandler;
import io.taskgate.ingress.edge.IpAllowlistHandler;
import io.taskgate.ingress.edge.PerIpRateLimitHandler;
import io.taskgate.ingress.edge.PerIpRateLimiter;
import io.taskgate.ingress.http.ErrorMappingHandler;
import io.taskgate.ingress.http.RequestLogContext;
import io.taskgate.ingress.http.RequestMetricsHandler;
import io.taskgate.ingress.http.TraceContexts;
import io.taskgate.platform.http.RequestIds;
import io.taskgate.schemas.policy.Policy;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.function.Supplier;
import org.xnio.Options;

/**
 * The Undertow server of ingress and its handler chain, which reads from the outside in: drain on
 * shutdown, request id, trace context, the client's address (from a trusted proxy's X-Forwarded-For), log
 * context, metrics,
 * error mapping, CORS, the policy's edge protections, then the routes. Slow clients are cut off:
 * the request line and headers must arrive within the header timeout (a slowloris connection is
 * dropped), a body may not go silent for longer than the read timeout, an idle connection closes.
 */
final class IngressServer implements AutoCloseable {
    private static final int IO_THREADS = 2;
    private static final int WORKER_THREADS = 16;
    /** Longer than a task's publish may take (TaskPublisher bounds it at 10 s), so every POST in flight is answered. */
    private static final Duration DRAIN = Duration.ofSeconds(12);
    /**
     * All headers of one request together. Past it Undertow's parser answers a bare 400 before any
     * handler runs; within it, an oversized credential still gets a 401 in the error shape.
     */
    private static final int MAX_HEADER_BYTES = 128 * 1024;
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
        EdgeSettings settings = config.edge();
        HttpHandler edge = new CorsHandler(settings.corsOrigins(),
                new IpAllowlistHandler(policy, metrics,
                        new PerIpRateLimitHandler(policy, limiter, metrics, routes)));
        GracefulShutdownHandler drain = Handlers.gracefulShutdown(
                new RequestIds(
                        new TraceContexts(new SecureRandom(),
                                new ForwardedClientHandler(settings,
                                        new RequestLogContext(IngressService.SERVICE,
                                                new RequestMetricsHandler(metrics,
                                                        new ErrorMappingHandler(edge)))))));
        Undertow server = Undertow.builder()
                .addHttpListener(config.port(), config.host())
                .setIoThreads(IO_THREADS)
                .setWorkerThreads(WORKER_THREADS)
                .setSocketOption(Options.BACKLOG, 1024)
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, MAX_HEADER_BYTES)
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) settings.headerTimeout().toMillis())
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, (int) settings.idleTimeout().toMillis())
                .setSocketOption(Options.READ_TIMEOUT, (int) settings.readTimeout().toMillis())
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
