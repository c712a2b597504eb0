package io.taskgate.platform.kafka;

import io.taskgate.schemas.topics.TopicSpec;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every instance's copy of a small compacted topic (agents, policies): the whole topic, read from
 * the beginning by a consumer without a group, kept current by a background thread. A tombstone
 * removes the key. Writers that need to read their own write wait for its offset.
 */
public final class CompactedTopicView<V> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CompactedTopicView.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final TopicSpec<String, V> topic;
    private final Consumer<byte[], byte[]> consumer;
    private final Map<String, V> values = new ConcurrentHashMap<>();
    private final Map<Integer, Long> positions = new HashMap<>();
    private final Map<Integer, Long> endOffsetsAtStart = new HashMap<>();
    private final List<BiConsumer<String, V>> listeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    public CompactedTopicView(TopicSpec<String, V> topic, Consumer<byte[], byte[]> consumer) {
        this.topic = topic;
        this.consumer = consumer;
        this.thread = new Thread(this::run, "view-" + topic.name());
        this.thread.setDaemon(true);
    }

    /** Called with (key, value) for every change, value null on delete; on the view's thread. */
    public void onChange(BiConsumer<String, V> listener) {
        listeners.add(listener);
    }

    public void start() {
        List<TopicPartition> partitions = TopicPartitions.assignFromStart(consumer, topic.name(), Duration.ofSeconds(30));
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        synchronized (positions) {
            ends.forEach((partition, end) -> endOffsetsAtStart.put(partition.partition(), end));
            partitions.forEach(partition -> positions.put(partition.partition(), 0L));
        }
        thread.start();
    }

    public Optional<V> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public Map<String, V> snapshot() {
        return Map.copyOf(values);
    }

    /**
     * Drops from this copy, not from the topic, the entries that no longer matter (state that
     * expires), so the copy stays as small as the live state.
     */
    public void evictIf(BiPredicate<String, V> expired) {
        values.entrySet().removeIf(entry -> expired.test(entry.getKey(), entry.getValue()));
    }

    /** Waits until everything that was in the topic when the view started has been read. */
    public boolean awaitCaughtUp(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (positions) {
            while (!caughtUp()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                waitNanos(left);
            }
            return true;
        }
    }

    /** Waits until the record at this offset has been applied: read-your-writes for a writer. */
    public boolean awaitApplied(int partition, long offset, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (positions) {
            while (positions.getOrDefault(partition, 0L) <= offset) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                waitNanos(left);
            }
            return true;
        }
    }

    private boolean caughtUp() {
        return endOffsetsAtStart.entrySet().stream()
                .allMatch(end -> positions.getOrDefault(end.getKey(), 0L) >= end.getValue());
    }

    private void waitNanos(long nanos) {
        try {
            positions.wait(Math.max(1, nanos / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + topic.name(), e);
        }
    }

    private void run() {
        try {
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    apply(record);
                }
                synchronized (positions) {
                    for (TopicPartition partition : consumer.assignment()) {
                        positions.put(partition.partition(), consumer.position(partition));
                    }
                    positions.notifyAll();
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.error("view of {} stopped", topic.name(), e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        String key = topic.keySerde().deserializer().deserialize(topic.name(), record.key());
        if (key == null) {
            return;
        }
        V value;
        try {
            value = topic.valueSerde().deserializer().deserialize(topic.name(), record.value());
        } catch (RuntimeException e) {
            LOG.warn("skipping unreadable record at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
            return;
        }
        if (value == null) {
            values.remove(key);
        } else {
            values.put(key, value);
        }
        for (BiConsumer<String, V> listener : listeners) {
            listener.accept(key, value);
        }
    }

    @Override
    public void close() {
        running = false;
        if (!thread.isAlive()) {
            consumer.close(Duration.ofSeconds(2));
            return;
        }
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
