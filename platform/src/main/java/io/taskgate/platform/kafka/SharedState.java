package io.taskgate.platform.kafka;

import io.taskgate.schemas.topics.TopicSpec;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * A compacted topic every instance reads in full and may write to, with read-your-writes: a
 * write returns once Kafka acknowledged it and this instance's view applied it, so the next
 * request to this instance sees it. Other instances see it as soon as their view reads it.
 */
public final class SharedState<V> implements AutoCloseable {

    private final TopicSpec<String, V> topic;
    private final CompactedTopicView<V> view;
    private final KafkaSender sender;
    private final Duration writeTimeout;

    public SharedState(TopicSpec<String, V> topic, CompactedTopicView<V> view, KafkaSender sender, Duration writeTimeout) {
        this.topic = topic;
        this.view = view;
        this.sender = sender;
        this.writeTimeout = writeTimeout;
    }

    public void start() {
        view.start();
    }

    public boolean awaitCaughtUp(Duration timeout) {
        return view.awaitCaughtUp(timeout);
    }

    /** Whether the view has read everything that was in the topic when it started; does not wait. */
    public boolean isCaughtUp() {
        return view.awaitCaughtUp(Duration.ZERO);
    }

    public Optional<V> get(String key) {
        return view.get(key);
    }

    public Map<String, V> snapshot() {
        return view.snapshot();
    }

    /** Drops expired entries from this instance's copy; the topic's retention removes them from Kafka. */
    public void evictIf(BiPredicate<String, V> expired) {
        view.evictIf(expired);
    }

    /** Called with (key, value) for every change, value null on delete; on the view's thread. */
    public void onChange(BiConsumer<String, V> listener) {
        view.onChange(listener);
    }

    /**
     * Publishes the value and blocks until this instance's view applied it; call it off the IO threads.
     *
     * @throws WriteNotVisibleException when Kafka does not acknowledge, or the view does not apply, in time
     */
    public void write(String key, V value) {
        long deadline = System.nanoTime() + writeTimeout.toNanos();
        RecordMetadata acked;
        try {
            acked = sender.send(topic, key, value).get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while writing to Kafka");
        } catch (ExecutionException | TimeoutException e) {
            throw unavailable("Kafka did not acknowledge the change; nothing was changed, retry shortly");
        }
        Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        if (!view.awaitApplied(acked.partition(), acked.offset(), left)) {
            throw unavailable("the change was stored but is not visible here yet; retry the read shortly");
        }
    }

    /** Publishes a tombstone for the key and blocks until this instance's view removed it. */
    public void delete(String key) {
        write(key, null);
    }

    private static WriteNotVisibleException unavailable(String message) {
        return new WriteNotVisibleException(message);
    }

    @Override
    public void close() {
        view.close();
    }
}
