package io.taskgate.audit;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskgate.audit.consume.AuditConsumer;
import io.taskgate.audit.consume.SinkMetrics;
import io.taskgate.audit.query.AuditRoutes;
import io.taskgate.audit.store.AuditReader;
import io.taskgate.audit.store.AuditWriter;
import io.taskgate.platform.kafka.KafkaClients;
import io.undertow.server.RoutingHandler;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The audit sink: consumes the audit topic into the hash-chained store and answers
 * {@code GET /api/audit} on the routes the launcher mounts on the sink's HTTP port. Run one sink
 * per audit database: the chain has a single writer (see {@link AuditWriter}).
 */
public final class AuditSinkService implements AutoCloseable {
    private static final String CLIENT_ID = "taskgate-audit-sink";
    private static final int QUERY_THREADS = 2;
    private static final int QUERY_QUEUE = 16;

    private final AuditWriter store;
    private final AuditConsumer consumer;
    private final ThreadPoolExecutor queries;
    private final RoutingHandler routes;

    private AuditSinkService(AuditWriter store, AuditReader reader, AuditConsumer consumer, String adminToken) {
        this.store = store;
        this.consumer = consumer;
        this.queries = new ThreadPoolExecutor(QUERY_THREADS, QUERY_THREADS, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUERY_QUEUE), daemonThreads("audit-query-"), new ThreadPoolExecutor.AbortPolicy());
        this.routes = AuditRoutes.create(reader, adminToken, queries);
    }

    /** Opens the database (creating its tables), then starts consuming. Fails fast if the database is unusable. */
    public static AuditSinkService start(AuditSinkConfig config, KafkaClients clients, PrometheusMeterRegistry metrics, Clock clock) {
        String topic = config.kafka().topics().audit().name();
        AuditWriter store = AuditWriter.open(config.jdbcUrl());
        try {
            store.requireTopic(topic);
            AuditReader reader = AuditReader.open(config.jdbcUrl());
            SinkMetrics sinkMetrics = new SinkMetrics(metrics, reader.headSeq());
            AuditConsumer consumer = new AuditConsumer(clients.newConsumer(CLIENT_ID, config.consumerGroup()), topic, store,
                    sinkMetrics, clock);
            AuditSinkService service = new AuditSinkService(store, reader, consumer, config.adminToken());
            consumer.start();
            return service;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Consuming, positioned from the database's offsets, and the database took the last batch. */
    public boolean isReady() {
        return consumer.isReady();
    }

    /** {@code GET /api/audit} (admin bearer token), for the sink's HTTP server. */
    public RoutingHandler routes() {
        return routes;
    }

    @Override
    public void close() {
        consumer.close();
        queries.shutdown();
        try {
            if (!queries.awaitTermination(5, TimeUnit.SECONDS)) {
                queries.shutdownNow();
            }
        } catch (InterruptedException e) {
            queries.shutdownNow();
            Thread.currentThread().interrupt();
        }
        store.close();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
