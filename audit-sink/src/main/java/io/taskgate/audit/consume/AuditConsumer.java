package io.taskgate.audit.consume;

import io.taskgate.audit.store.AppendResult;
import io.taskgate.audit.store.AuditWriter;
import io.taskgate.audit.store.AuditStoreException;
import io.taskgate.audit.store.SourceRecord;
import io.taskgate.platform.kafka.KafkaClients;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves audit records from the topic into the store, exactly once: each poll's records go into
 * the database in one transaction together with the next offset of each partition, and the
 * consumer is positioned from those stored offsets ({@link StoredOffsets}). Kafka offsets are
 * committed as well, after the database, but only so that consumer lag can be monitored; they
 * are never read back. When the database refuses a batch, the consumer rewinds to the batch's
 * first records and retries with backoff, so nothing is skipped. Records the topic deleted before
 * they were read are not skipped silently either: {@link RetentionGaps} chains a gap record.
 * The consumer must be configured with {@code auto.offset.reset=none} for that.
 */
public final class AuditConsumer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditConsumer.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final AuditWriter store;
    private final SinkMetrics metrics;
    private final Clock clock;
    private final StoredOffsets offsets;
    private final RetentionGaps gaps;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running;
    private volatile boolean storing = true;
    private Duration backoff = FIRST_BACKOFF;

    public AuditConsumer(Consumer<byte[], byte[]> consumer, String topic, AuditWriter store, SinkMetrics metrics, Clock clock) {
        this.consumer = consumer;
        this.topic = topic;
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
        this.offsets = new StoredOffsets(consumer, store, topic);
        this.gaps = new RetentionGaps(consumer, store, topic, metrics, clock);
        this.thread = new Thread(this::run, "audit-sink-consumer");
    }

    public void start() {
        running = true;
        thread.start();
    }

    /** Consuming, positioned from the database, and the database took the last batch. */
    public boolean isReady() {
        return running && offsets.settled() && storing;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic), offsets);
            while (stopping.getCount() > 0) {
                offsets.positionFromStore();
                poll();
                metrics.lag(lag());
            }
        } catch (WakeupException e) {
            LOG.debug("audit consumer woken up to stop");
        } catch (RuntimeException e) {
            LOG.error("audit consumer stopped; the sink is no longer ready", e);
        } finally {
            running = false;
            consumer.close(KafkaClients.leavingGroup(CLOSE_TIMEOUT));
        }
    }

    private void poll() {
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = consumer.poll(POLL_TIMEOUT);
        } catch (OffsetOutOfRangeException e) {
            closeGaps(e.offsetOutOfRangePartitions());
            return;
        } catch (NoOffsetForPartitionException e) {
            // A partition assigned while the database did not answer has no position yet; it gets
            // one from the database on the next turn, never from a reset.
            failed("audit partitions " + e.partitions() + " wait for their offsets from the database", e);
            return;
        }
        if (!records.isEmpty()) {
            store(records);
        }
    }

    private void closeGaps(Map<TopicPartition, Long> expected) {
        try {
            gaps.close(expected);
            succeeded();
        } catch (WakeupException e) {
            throw e;
        } catch (AuditStoreException | KafkaException e) {
            // The database or the broker did not answer: nothing moved, the next poll fails the same way.
            failed("gap record not stored", e);
        }
    }

    private void store(ConsumerRecords<byte[], byte[]> records) {
        Instant now = clock.instant();
        List<SourceRecord> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            Instant stamped = record.timestamp() >= 0 ? Instant.ofEpochMilli(record.timestamp()) : now;
            batch.add(new SourceRecord(record.partition(), record.offset(), stamped, record.value()));
        }
        AppendResult result;
        try {
            result = store.append(topic, batch);
        } catch (AuditStoreException e) {
            rewind(records);
            failed("audit records not stored", e);
            return;
        }
        succeeded();
        metrics.appended(result);
        Instant stored = clock.instant();
        batch.forEach(record -> metrics.delayed(Duration.between(record.timestamp(), stored)));
        if (!result.droppedKeys().isEmpty()) {
            LOG.warn("dropped secret-named fields {} from audit records; the producing service should never send them",
                    result.droppedKeys());
        }
        consumer.commitAsync(nextOffsets(records), (committed, error) -> {
            if (error != null) {
                LOG.debug("committing audit offsets to Kafka failed (only lag monitoring depends on them): {}", error.toString());
            }
        });
    }

    private void failed(String what, RuntimeException e) {
        storing = false;
        metrics.storeFailed();
        LOG.warn("{}, retrying in {} ms: {}", what, backoff.toMillis(), e.getMessage());
        pause(backoff);
        Duration doubled = backoff.multipliedBy(2);
        backoff = doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
    }

    private void succeeded() {
        storing = true;
        backoff = FIRST_BACKOFF;
    }

    private void rewind(ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            consumer.seek(partition, records.records(partition).get(0).offset());
        }
    }

    private void pause(Duration duration) {
        try {
            stopping.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping.countDown();
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> inPartition = records.records(partition);
            next.put(partition, new OffsetAndMetadata(inPartition.get(inPartition.size() - 1).offset() + 1));
        }
        return next;
    }

    private long lag() {
        long total = 0;
        for (TopicPartition partition : consumer.assignment()) {
            total += consumer.currentLag(partition).orElse(0);
        }
        return total;
    }

    @Override
    public void close() {
        stopping.countDown();
        consumer.wakeup();
        try {
            thread.join(CLOSE_TIMEOUT.plusSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
