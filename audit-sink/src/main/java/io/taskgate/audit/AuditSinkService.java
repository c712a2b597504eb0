package io.taskgate.audit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskgate.audit.consume.AuditConsumer;
import io.taskgate.audit.consume.SinkMetrics;
import io.taskgate.audit.query.AuditRoutes;
import io.taskgate.audit.store.AuditReader;
import io.taskgate.audit.store.AuditWriter;
import io.taskgate.platform.concurrent.BoundedExecutor;
import io.taskgate.platform.kafka.KafkaClients;
import io.undertow.server.RoutingHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * The audit sink: consumes the audit topic into the hash-chained store and answers
 * {@code GET /api/audit} on the routes the launcher mounts on the sink's HTTP port. Run one sink
 * per audit database: the chain has a single writer (see {@link AuditWriter}).
 */
public final class AuditSinkService implements AutoCloseable {
    private static final String CLIENT_ID = "taskgate-audit-sink";
    private static final int QUERY_THREADS = 2;
    private static final int QUERY_QUEUE = 16;
    private static final Duration QUERY_GRACE = Duration.ofSeconds(5);

    private final AuditWriter store;
    private final AuditConsumer consumer;
    private final ExecutorService queries;
    private final RoutingHandler routes;

    private AuditSinkService(AuditWriter store, AuditReader reader, AuditConsumer consumer, String adminToken, MeterRegistry metrics) {
        this.store = store;
        this.consumer = consumer;
        this.queries = BoundedExecutor.create("audit-query", QUERY_THREADS, QUERY_QUEUE, metrics);
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
            AuditConsumer consumer = new AuditConsumer(newConsumer(clients, config), topic, store, sinkMetrics, clock);
            AuditSinkService service = new AuditSinkService(store, reader, consumer, config.adminToken(), metrics);
            consumer.start();
            return service;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * A consumer that never resets its position by itself: an offset deleted by retention must end
     * in a gap record ({@code RetentionGaps}), not in a silent jump to the log start.
     */
    private static Consumer<byte[], byte[]> newConsumer(KafkaClients clients, AuditSinkConfig config) {
        Map<String, Object> settings = clients.consumerConfig(CLIENT_ID, config.consumerGroup());
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        return new KafkaConsumer<>(settings);
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
        BoundedExecutor.stop(queries, QUERY_GRACE);
        store.close();
    }
}
