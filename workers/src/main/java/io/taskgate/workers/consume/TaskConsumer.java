package io.taskgate.workers.consume;

import io.taskgate.platform.kafka.OffsetTracker;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.topics.TopicSpec;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop of a worker: reads a pool's ready topic in its consumer group and keeps up to
 * {@code concurrency} tasks in flight at once, whatever their partition. When full it pauses its
 * partitions (and keeps polling, so it stays in the group); when a slot frees it resumes. Tasks
 * finish in any order, through a queue back to this thread, which alone touches the consumer;
 * offsets are committed up to the oldest unfinished task per partition, periodically, on
 * revocation and on stop. A task whose outcome Kafka did not acknowledge counts as unfinished for
 * good: the partition's commits stop before it, and it runs again in the next owner of the partition. A task whose tool is at its own limit ({@link ToolSlots}) waits aside,
 * taking no slot, while tasks of other tools behind it start.
 */
public final class TaskConsumer implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(TaskConsumer.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final Consumer<byte[], byte[]> consumer;
    private final TopicSpec<String, TaskMessage> topic;
    private final TaskHandler handler;
    private final int concurrency;
    private final Duration commitInterval;
    private final Duration drainTimeout;
    private final ToolSlots toolSlots;

    private final OffsetTracker offsets = new OffsetTracker();
    private final Deque<ConsumerRecord<byte[], byte[]>> backlog = new ArrayDeque<>();
    private final Deque<Waiting> waiting = new ArrayDeque<>();
    private final BlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean running = true;
    private volatile boolean joined;
    private volatile boolean stopped;
    private long nextCommitNanos;

    /**
     * @param drainTimeout how long a stopping consumer waits for tasks in flight before closing
     */
    public TaskConsumer(Consumer<byte[], byte[]> consumer, TopicSpec<String, TaskMessage> topic, TaskHandler handler,
                        int concurrency, Duration commitInterval, Duration drainTimeout) {
        this(consumer, topic, handler, concurrency, ToolSlots.unlimited(), commitInterval, drainTimeout);
    }

    /**
     * @param toolSlots how many tasks of each tool may run at once, within {@code concurrency}
     */
    public TaskConsumer(Consumer<byte[], byte[]> consumer, TopicSpec<String, TaskMessage> topic, TaskHandler handler,
                        int concurrency, ToolSlots toolSlots, Duration commitInterval, Duration drainTimeout) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        this.consumer = consumer;
        this.topic = topic;
        this.handler = handler;
        this.concurrency = concurrency;
        this.commitInterval = commitInterval;
        this.drainTimeout = drainTimeout;
        this.toolSlots = toolSlots;
    }

    /** True once the consumer joined its group (possibly with no partitions), until it stops. */
    public boolean isReady() {
        return joined && running && !stopped;
    }

    public boolean isStopped() {
        return stopped;
    }

    /** Tasks started and not yet recorded. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Asks the loop to stop polling, wait for tasks in flight, commit and close. Returns at once. */
    public void stop() {
        running = false;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic.name()), new Rebalance());
            nextCommitNanos = System.nanoTime() + commitInterval.toNanos();
            while (running) {
                if (inFlight.get() >= concurrency) {
                    // Full: the partitions are paused, so a blocking poll would only return at its
                    // timeout, however soon a slot frees. Keep the group membership with a poll that
                    // does not wait, and wait for a finished task instead.
                    receive(consumer.poll(Duration.ZERO));
                    awaitCompletion(POLL);
                } else {
                    receive(consumer.poll(POLL));
                }
                applyCompletions();
                dispatch();
                throttle();
                commitIfDue();
            }
            drain();
        } catch (RuntimeException e) {
            LOG.error("worker consumer of {} stopped", topic.name(), e);
        } finally {
            commitNow(offsets.committable());
            consumer.close(CLOSE_TIMEOUT);
            stopped = true;
        }
    }

    private void receive(ConsumerRecords<byte[], byte[]> records) {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            offsets.track(partitionOf(record), record.offset());
            backlog.add(record);
        }
        for (TopicPartition partition : records.partitions()) {
            offsets.receivedUpTo(partition, consumer.position(partition));
        }
    }

    private void dispatch() {
        Iterator<Waiting> aside = waiting.iterator();
        while (inFlight.get() < concurrency && aside.hasNext()) {
            Waiting next = aside.next();
            if (toolSlots.tryAcquire(next.tool())) {
                aside.remove();
                run(next.task(), next.record(), next.tool());
            }
        }
        while (inFlight.get() < concurrency && !backlog.isEmpty()) {
            ConsumerRecord<byte[], byte[]> record = backlog.poll();
            TaskMessage task = decode(record);
            if (task == null) {
                offsets.complete(partitionOf(record), record.offset());
                continue;
            }
            String tool = ToolSlots.toolOf(task.name());
            if (toolSlots.tryAcquire(tool)) {
                run(task, record, tool);
            } else {
                waiting.add(new Waiting(record, task, tool));
            }
        }
    }

    private void run(TaskMessage task, ConsumerRecord<byte[], byte[]> record, String tool) {
        TopicPartition partition = partitionOf(record);
        inFlight.incrementAndGet();
        start(task, record).whenComplete((ignored, failure) -> {
            if (failure != null) {
                LOG.error("task {} ended without its outcome recorded; its offset stays uncommitted, so it runs again "
                        + "after a restart or rebalance: {}", task.taskId(), failure.toString());
            }
            completions.add(new Completion(partition, record.offset(), tool, failure == null));
        });
    }

    private CompletionStage<?> start(TaskMessage task, ConsumerRecord<byte[], byte[]> record) {
        String requestId = RequestIdHeader.read(record.headers());
        try {
            return handler.handle(task, requestId == null ? task.requestId() : requestId);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private TaskMessage decode(ConsumerRecord<byte[], byte[]> record) {
        TaskMessage task;
        try {
            task = topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            // The exception text may quote the payload, so only its type is logged.
            LOG.warn("skipping unreadable task at {}-{}@{} ({})", record.topic(), record.partition(), record.offset(),
                    e.getClass().getSimpleName());
            return null;
        }
        if (task == null) {
            LOG.warn("skipping empty record at {}-{}@{}", record.topic(), record.partition(), record.offset());
        }
        return task;
    }

    private void applyCompletions() {
        Completion completion;
        while ((completion = completions.poll()) != null) {
            apply(completion);
        }
    }

    private void awaitCompletion(Duration timeout) {
        try {
            Completion completion = completions.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (completion != null) {
                apply(completion);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void apply(Completion completion) {
        if (completion.recorded()) {
            offsets.complete(completion.partition(), completion.offset());
        }
        toolSlots.release(completion.tool());
        inFlight.decrementAndGet();
    }

    /** Tasks read but not started because their tool is at its limit. */
    public int waiting() {
        return waiting.size();
    }

    /** Pauses fetching while full, so no more tasks pile up than can run; resumes when a slot is free. */
    private void throttle() {
        // Tasks waiting for their tool hold no slot, but are bounded too, as they are kept in memory.
        if (inFlight.get() + backlog.size() >= concurrency || waiting.size() >= concurrency) {
            consumer.pause(consumer.assignment());
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    private void commitIfDue() {
        long now = System.nanoTime();
        if (now - nextCommitNanos < 0) {
            return;
        }
        nextCommitNanos = now + commitInterval.toNanos();
        Map<TopicPartition, OffsetAndMetadata> due = offsets.committable();
        if (due.isEmpty()) {
            return;
        }
        consumer.commitAsync(due, (committed, error) -> {
            if (error == null) {
                offsets.committed(committed);
            } else {
                LOG.warn("committing offsets of {} failed, will retry: {}", topic.name(), error.toString());
            }
        });
    }

    private void commitNow(Map<TopicPartition, OffsetAndMetadata> due) {
        if (due.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(due);
            offsets.committed(due);
        } catch (KafkaException e) {
            LOG.warn("committing offsets of {} failed; their tasks may run again: {}", topic.name(), e.toString());
        }
    }

    /** Gives tasks in flight a last chance to finish, so their offsets can be committed. */
    private void drain() {
        backlog.clear();
        waiting.clear();
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        try {
            while (inFlight.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warn("{} tasks still running at shutdown; they will run again elsewhere", inFlight.get());
                    return;
                }
                Completion completion = completions.poll(left, TimeUnit.NANOSECONDS);
                if (completion != null) {
                    apply(completion);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static TopicPartition partitionOf(ConsumerRecord<?, ?> record) {
        return new TopicPartition(record.topic(), record.partition());
    }

    /** @param recorded whether Kafka acknowledged the task's outcome; only then may its offset be committed past */
    private record Completion(TopicPartition partition, long offset, String tool, boolean recorded) {
    }

    private record Waiting(ConsumerRecord<byte[], byte[]> record, TaskMessage task, String tool) {
    }

    /** Runs inside poll, on this thread. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            joined = true;
            if (!partitions.isEmpty()) {
                LOG.info("worker consumer of {} assigned {}", topic.name(), partitions);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Set<TopicPartition> revoked = Set.copyOf(partitions);
            commitNow(offsets.committable().entrySet().stream()
                    .filter(entry -> revoked.contains(entry.getKey()))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
            forget(revoked);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(Set.copyOf(partitions));
        }

        private void forget(Set<TopicPartition> partitions) {
            offsets.forget(partitions);
            // Not started yet: the partition's next owner reads them from the committed offset.
            backlog.removeIf(record -> partitions.contains(partitionOf(record)));
            waiting.removeIf(task -> partitions.contains(partitionOf(task.record())));
        }
    }
}
