package io.taskgate.ingress.tasks;

import io.taskgate.ingress.http.ApiException;
import io.taskgate.platform.concurrent.Futures;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import io.taskgate.schemas.tasks.TaskEvent;
import io.taskgate.schemas.topics.TopicSpec;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status of every task, folded from {@code task-events} by a Kafka Streams app inside ingress
 * into a persistent store partitioned like the topic. Every instance holds some partitions; a read
 * for a task is answered by the instance owning its partition ({@link #ownerOf}), so any instance
 * can serve any task and the view survives restarts (the store is backed by a changelog topic).
 */
final class TaskStatusView implements AutoCloseable {
    static final String STORE = "task-status";
    private static final Logger LOG = LoggerFactory.getLogger(TaskStatusView.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaStreams streams;
    private final HostInfo self;
    private final String scheme;
    private final TaskWaiters waiters;
    private final Executor executor;

    /**
     * @param executor where held requests continue once their task changed or their time ran out;
     *                 never the stream thread, which must get on with the next event
     */
    TaskStatusView(Topology topology, Properties streamsConfig, URI advertisedUrl, TaskWaiters waiters, Executor executor) {
        this.streams = new KafkaStreams(topology, streamsConfig);
        this.self = hostInfo(advertisedUrl);
        this.scheme = advertisedUrl.getScheme();
        this.waiters = waiters;
        this.executor = executor;
        streams.setUncaughtExceptionHandler(error -> {
            LOG.error("status view stream thread failed; replacing it", error);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    /**
     * Folds each task's events into its {@link TaskView} and reports every change to {@code onChange};
     * a task unchanged for {@code retention} is forgotten (up to {@code purgeBatch} entries looked at
     * every {@code purgeInterval}).
     */
    static Topology topology(TopicSpec<String, TaskEvent> taskEvents, BiConsumer<String, TaskView> onChange,
                             Duration retention, Duration purgeInterval, int purgeBatch) {
        StreamsBuilder builder = new StreamsBuilder();
        // Timestamped, as the DSL aggregate that kept this store before wrote it: existing state and
        // changelogs keep their format.
        builder.addStateStore(Stores.timestampedKeyValueStoreBuilder(Stores.persistentTimestampedKeyValueStore(STORE),
                Serdes.String(), TaskView.SERDE));
        builder.stream(taskEvents.name(), Consumed.with(taskEvents.keySerde(), taskEvents.valueSerde()))
                .process(() -> new TaskStatusFolder(STORE, onChange, retention, purgeInterval, purgeBatch), STORE);
        return builder.build();
    }

    /**
     * The Streams settings of one ingress instance. The store cache is off so a change is in the
     * store, and waiters are told, as soon as it is processed; at-least-once is enough because
     * {@link TaskView#reduce} is idempotent. Decisions arrive in policy-stream's transactions, so the
     * view reads committed records only: an aborted decision is never shown. Each partition's store
     * is kept warm on one more instance (when there is one), so when its owner stops, another takes
     * over reads within seconds instead of rebuilding the store from the changelog first.
     */
    static Properties streamsConfig(String bootstrapServers, String topicPrefix, URI advertisedUrl, Path stateDir, int port) {
        HostInfo host = hostInfo(advertisedUrl);
        Properties props = new Properties();
        props.putAll(Map.of(
                StreamsConfig.APPLICATION_ID_CONFIG, topicPrefix + "-ingress-status",
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                StreamsConfig.APPLICATION_SERVER_CONFIG, host.host() + ":" + host.port(),
                // Several instances may share a data directory (or a JVM, in tests): one state dir per port.
                StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve("ingress-status-" + port).toString(),
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE,
                StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0,
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100,
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class,
                StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed"));
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1);
        return props;
    }

    void start() {
        streams.start();
    }

    boolean isReady() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    Owner ownerOf(String taskId) {
        KeyQueryMetadata metadata;
        try {
            metadata = streams.queryMetadataForKey(STORE, taskId, Serdes.String().serializer());
        } catch (InvalidStateStoreException | IllegalStateException e) {
            return Owner.UNAVAILABLE;
        }
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)
                || HostInfo.unavailable().equals(metadata.activeHost())) {
            return Owner.UNAVAILABLE;
        }
        HostInfo active = metadata.activeHost();
        if (active.equals(self)) {
            return new Owner.Local(metadata.partition());
        }
        return new Owner.Remote(URI.create(scheme + "://" + active.host() + ":" + active.port()));
    }

    /** The task's view from the local store; 503 when this instance does not hold its partition now. */
    Optional<TaskView> get(String taskId) {
        if (!(ownerOf(taskId) instanceof Owner.Local local)) {
            throw rebalancing();
        }
        try {
            ReadOnlyKeyValueStore<String, TaskView> store = streams.store(StoreQueryParameters
                    .fromNameAndType(STORE, QueryableStoreTypes.<String, TaskView>keyValueStore())
                    .withPartition(local.partition()));
            return Optional.ofNullable(store.get(taskId));
        } catch (InvalidStateStoreException e) {
            throw rebalancing();
        }
    }

    /**
     * The task's view once it satisfies {@code until}, or when {@code timeout} has passed whatever
     * it is then (empty if the task is still unknown). Never blocks the caller.
     */
    CompletableFuture<Optional<TaskView>> await(String taskId, Predicate<TaskView> until, Duration timeout) {
        Optional<TaskView> now = get(taskId);
        if (timeout.compareTo(Duration.ZERO) <= 0 || now.filter(until).isPresent()) {
            return CompletableFuture.completedFuture(now);
        }
        CompletableFuture<TaskView> signal = waiters.register(taskId, until);
        // The task may have changed between the first read and registering: look once more.
        Optional<TaskView> again;
        try {
            again = get(taskId);
        } catch (RuntimeException e) {
            signal.cancel(false);
            throw e;
        }
        if (again.filter(until).isPresent()) {
            signal.cancel(false);
            return CompletableFuture.completedFuture(again);
        }
        return signal.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).handleAsync((view, error) -> {
            if (error == null) {
                return Optional.of(view);
            }
            Throwable cause = Futures.unwrap(error);
            if (cause instanceof TimeoutException) {
                return get(taskId);
            }
            throw cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
        }, executor);
    }

    @Override
    public void close() {
        // Leaving the group hands this instance's tasks to the others at once, not after a session timeout.
        streams.close(new KafkaStreams.CloseOptions().timeout(CLOSE_TIMEOUT).leaveGroup(true));
        waiters.closeAll();
    }

    private static ApiException rebalancing() {
        return new ApiException(ErrorDetail.retryable(ErrorCode.UNAVAILABLE, "task status is moving between instances; retry", 1));
    }

    private static HostInfo hostInfo(URI advertisedUrl) {
        int port = advertisedUrl.getPort() != -1 ? advertisedUrl.getPort() : "https".equalsIgnoreCase(advertisedUrl.getScheme()) ? 443 : 80;
        return new HostInfo(advertisedUrl.getHost(), port);
    }
}
