package io.taskgate.webhooks.deliver;

import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.kafka.OffsetCommitter;
import io.taskgate.platform.kafka.OffsetTracker;
import io.taskgate.schemas.topics.TopicSpec;
import io.taskgate.schemas.webhooks.WebhookRecord;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deliverers' poll loop over {@code webhooks}, in one consumer group, so attempts spread over
 * the instances as the topic's partitions do. It acts on {@code due} records only; each is handed
 * to the {@link Deliverer} without waiting, and its offset is committed once the attempt's outcome
 * is in Kafka (per partition up to the oldest unfinished one). Past {@code maxInFlight} unfinished
 * records it pauses fetching, and keeps polling so it stays in the group.
 */
public final class DeliveryConsumer implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryConsumer.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final Consumer<byte[], byte[]> consumer;
    private final TopicSpec<String, WebhookRecord> topic;
    private final Deliverer deliverer;
    private final int maxInFlight;
    private final Duration drainTimeout;
    private final OffsetTracker offsets = new OffsetTracker();
    private final OffsetCommitter committer;
    private final BlockingQueue<TopicPartitionOffset> completions = new LinkedBlockingQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean running = true;
    private volatile boolean joined;
    private volatile boolean stopped;

    public DeliveryConsumer(Consumer<byte[], byte[]> consumer, TopicSpec<String, WebhookRecord> topic, Deliverer deliverer,
                            int maxInFlight, Duration commitInterval, Duration drainTimeout) {
        this.consumer = consumer;
        this.topic = topic;
        this.deliverer = deliverer;
        this.maxInFlight = maxInFlight;
        this.committer = new OffsetCommitter(consumer, offsets, topic.name(), "those attempts may be made again",
                commitInterval, System::nanoTime);
        this.drainTimeout = drainTimeout;
    }

    public boolean isReady() {
        return joined && running && !stopped;
    }

    public boolean isStopped() {
        return stopped;
    }

    /** Stops polling; attempts in flight get {@code drainTimeout} to finish. Returns at once. */
    public void stop() {
        running = false;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic.name()), new Rebalance());
            committer.restartInterval();
            while (running) {
                receive(consumer.poll(POLL));
                applyCompletions();
                throttle();
                committer.commitIfDue();
            }
            drain();
        } catch (RuntimeException e) {
            LOG.error("webhook consumer of {} stopped", topic.name(), e);
        } finally {
            committer.commitNow();
            consumer.close(KafkaClients.leavingGroup(CLOSE_TIMEOUT));
            stopped = true;
        }
    }

    private void receive(ConsumerRecords<byte[], byte[]> records) {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            long epoch = offsets.track(partition, record.offset());
            WebhookRecord due = decodeDue(record);
            if (due == null) {
                offsets.complete(partition, record.offset(), epoch);
                continue;
            }
            inFlight.incrementAndGet();
            TopicPartitionOffset done = new TopicPartitionOffset(partition, record.offset(), epoch);
            deliverer.handle(due).whenComplete((ignored, error) -> {
                if (error != null) {
                    LOG.warn("webhook {} attempt {} not recorded; it is made again after restart: {}", due.webhookId(),
                            due.attempt(), error.toString());
                    inFlight.decrementAndGet();
                    return;
                }
                completions.add(done);
            });
        }
        for (TopicPartition partition : records.partitions()) {
            offsets.receivedUpTo(partition, consumer.position(partition));
        }
    }

    private WebhookRecord decodeDue(ConsumerRecord<byte[], byte[]> record) {
        try {
            WebhookRecord value = topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
            return value != null && value.kind() == WebhookRecord.Kind.DUE && value.callbackUrl() != null ? value : null;
        } catch (RuntimeException e) {
            // The text may quote the payload; the type is enough.
            LOG.warn("skipping unreadable record at {}-{}@{} ({})", record.topic(), record.partition(), record.offset(),
                    e.getClass().getSimpleName());
            return null;
        }
    }

    private void applyCompletions() {
        TopicPartitionOffset done;
        while ((done = completions.poll()) != null) {
            offsets.complete(done.partition(), done.offset(), done.epoch());
            inFlight.decrementAndGet();
        }
    }

    private void throttle() {
        if (inFlight.get() >= maxInFlight) {
            consumer.pause(consumer.assignment());
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    private void drain() {
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        try {
            while (inFlight.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warn("{} webhook attempts unfinished at shutdown; they are made again after restart", inFlight.get());
                    return;
                }
                TopicPartitionOffset done = completions.poll(left, TimeUnit.NANOSECONDS);
                if (done != null) {
                    offsets.complete(done.partition(), done.offset(), done.epoch());
                    inFlight.decrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record TopicPartitionOffset(TopicPartition partition, long offset, long epoch) {
    }

    /** Runs inside poll, on this thread. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            joined = true;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Set<TopicPartition> revoked = Set.copyOf(partitions);
            committer.commitRevoked(revoked);
            offsets.forget(revoked);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            offsets.forget(Set.copyOf(partitions));
        }
    }
}
