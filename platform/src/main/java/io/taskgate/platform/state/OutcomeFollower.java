package io.taskgate.platform.state;

import io.taskgate.platform.kafka.TopicPartitions;
import io.taskgate.schemas.state.StateOutcome;
import io.taskgate.schemas.topics.TopicSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the outcomes of state writes from the moment it starts (no group, from the end) and
 * completes the future of each write this instance waits for. Outcomes of other instances' writes
 * are read and dropped: a few bytes each, and it spares a topic per instance.
 */
final class OutcomeFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutcomeFollower.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final TopicSpec<String, StateOutcome> topic;
    private final Consumer<byte[], byte[]> consumer;
    private final Map<String, CompletableFuture<StateOutcome>> pending = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    OutcomeFollower(TopicSpec<String, StateOutcome> topic, Consumer<byte[], byte[]> consumer) {
        this.topic = topic;
        this.consumer = consumer;
        this.thread = new Thread(this::run, "state-outcomes-" + topic.name());
        this.thread.setDaemon(true);
    }

    /** Positions at the end of every partition before returning, so no later outcome is missed. */
    void start() {
        List<TopicPartition> partitions = TopicPartitions.of(consumer, topic.name(), Duration.ofSeconds(30));
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        thread.start();
    }

    CompletableFuture<StateOutcome> expect(String commandId) {
        return pending.computeIfAbsent(commandId, id -> new CompletableFuture<>());
    }

    void forget(String commandId) {
        pending.remove(commandId);
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    complete(record);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.error("following {} stopped; state writes will time out", topic.name(), e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void complete(ConsumerRecord<byte[], byte[]> record) {
        String commandId = topic.keySerde().deserializer().deserialize(topic.name(), record.key());
        CompletableFuture<StateOutcome> waiting = commandId == null ? null : pending.remove(commandId);
        if (waiting == null) {
            return;
        }
        try {
            waiting.complete(topic.valueSerde().deserializer().deserialize(topic.name(), record.value()));
        } catch (RuntimeException e) {
            waiting.completeExceptionally(e);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
