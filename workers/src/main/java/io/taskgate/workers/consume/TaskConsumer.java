package io.taskgate.workers.consume;

import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.kafka.OffsetCommitter;
import io.taskgate.platform.kafka.OffsetTracker;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.topics.TopicSpec;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
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
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop of a worker: reads a pool's ready topic in its consumer group and keeps up to
 * {@code concurrency} tasks in flight at once, whatever their partition. When full it pauses its
 * partitions (and keeps polling, so it stays in the group); when a slot frees it resumes. Tasks
 * finish in any order, through a queue back to this thread, which alone touches the consumer;
 * offsets are committed up to the oldest unfinished task per partition, with the tasks finished
 * beyond it in the commit's metadata ({@link OffsetTracker}), periodically, on revocation and on
 * stop. A partition that arrives from another worker skips the tasks that commit says finished.
 * A task whose outcome Kafka did not acknowledge counts as unfinished for good: the partition's
 * commits stop before it, and it runs again in the next owner of the partition. A task whose tool
 * is at its own limit ({@link ToolSlots}) waits aside, taking no slot, while tasks of other tools
 * behind it start.
 */
public final class TaskConsumer implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(TaskConsumer.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    /**
     * How long a partition being moved to another worker waits for the tasks running on it here:
     * those that finish in time are committed and not run again; longer ones run again there.
     */
    private static final Duration HANDOVER_WAIT = Duration.ofSeconds(5);

    private final Consumer<byte[], byte[]> consumer;
    private final TopicSpec<String, TaskMessage> topic;
    private final TaskHandler handler;
    private final int concurrency;
    private final Duration drainTimeout;
    private final ToolSlots toolSlots;

    private final OffsetTracker offsets = new OffsetTracker();
    private final OffsetCommitter committer;
    private final Deque<Received> backlog = new ArrayDeque<>();
    private final Deque<Waiting> waiting = new ArrayDeque<>();
    private final BlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean running = true;
    private volatile boolean joined;
    private volatile boolean stopped;
    private final AtomicLong skippedFinished = new AtomicLong();
    private final Set<TopicPartition> owned = new HashSet<>();
    private final Map<TopicPartition, Integer> runningOn = new HashMap<>();
    private volatile int ownedCount;

    /**
     * @param drainTimeout how long a stopping consumer waits for tasks in flight before it commits
     *                     what finished and closes; what still runs is handed back uncommitted
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
        this.committer = new OffsetCommitter(consumer, offsets, topic.name(), "their tasks may run again",
                commitInterval, System::nanoTime);
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

    /** How many partitions of the ready topic this worker owns now. */
    public int partitions() {
        return ownedCount;
    }

    /** Records not run because their tasks had finished before their partition moved to this worker. */
    public long skippedFinished() {
        return skippedFinished.get();
    }

    /** Asks the loop to stop polling, wait for tasks in flight, commit and close. Returns at once. */
    public void stop() {
        running = false;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic.name()), new Rebalance());
            committer.restartInterval();
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
                committer.commitIfDue();
            }
            drain();
        } catch (RuntimeException e) {
            LOG.error("worker consumer of {} stopped", topic.name(), e);
        } finally {
            commitOnStop();
            consumer.close(KafkaClients.leavingGroup(CLOSE_TIMEOUT));
            stopped = true;
        }
    }

    private void receive(ConsumerRecords<byte[], byte[]> records) {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            TopicPartition partition = ReadyRecords.partitionOf(record);
            if (offsets.isFinished(partition, record.offset())) {
                // Finished before the partition moved here, past the commit: its outcome is recorded.
                skippedFinished.incrementAndGet();
                offsets.track(partition, record.offset());
                continue;
            }
            backlog.add(new Received(record, offsets.track(partition, record.offset())));
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
                run(next.task(), next.received(), next.tool());
            }
        }
        while (inFlight.get() < concurrency && !backlog.isEmpty()) {
            Received received = backlog.poll();
            ConsumerRecord<byte[], byte[]> record = received.record();
            TaskMessage task = ReadyRecords.decode(topic, record);
            if (task == null) {
                offsets.complete(ReadyRecords.partitionOf(record), record.offset(), received.epoch());
                continue;
            }
            String tool = ToolSlots.toolOf(task.name());
            if (toolSlots.tryAcquire(tool)) {
                run(task, received, tool);
            } else {
                waiting.add(new Waiting(received, task, tool));
            }
        }
    }

    private void run(TaskMessage task, Received received, String tool) {
        ConsumerRecord<byte[], byte[]> record = received.record();
        TopicPartition partition = ReadyRecords.partitionOf(record);
        inFlight.incrementAndGet();
        runningOn.merge(partition, 1, Integer::sum);
        start(task, record).whenComplete((ignored, failure) -> {
            if (failure != null) {
                LOG.error("task {} ended without its outcome recorded; its offset stays uncommitted, so it runs again "
                        + "after a restart or rebalance: {}", task.taskId(), failure.toString());
            }
            completions.add(new Completion(partition, record.offset(), received.epoch(), tool, failure == null));
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
            offsets.complete(completion.partition(), completion.offset(), completion.epoch());
        }
        toolSlots.release(completion.tool());
        inFlight.decrementAndGet();
        runningOn.computeIfPresent(completion.partition(), (partition, running) -> running > 1 ? running - 1 : null);
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

    /**
     * Lets tasks in flight finish within the grace, starting none. It keeps polling with every
     * partition paused, so the worker stays in its group and takes part in a rebalance (committing
     * what it gives up) instead of holding the whole group up until it leaves.
     */
    private void drain() {
        backlog.clear();
        waiting.clear();
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (inFlight.get() > 0) {
            if (deadline - System.nanoTime() <= 0) {
                LOG.warn("{} tasks still running after the shutdown grace of {} s; handing them back uncommitted, "
                        + "another worker runs them", inFlight.get(), drainTimeout.toSeconds());
                return;
            }
            pollWithoutReceiving();
            applyCompletions();
            awaitCompletion(POLL);
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }

    /**
     * The last commit. A rebalance may be under way (a worker joining while this one stopped): the
     * commit is then refused until this consumer has polled its way through it, which commits the
     * partitions it gives up, so it polls and tries again, for a bounded time.
     */
    private void commitOnStop() {
        if (!committer.commitThroughRebalance(this::pollQuietly, CLOSE_TIMEOUT)) {
            LOG.warn("the last commit of {} met a rebalance that did not end in time; finished tasks may run again",
                    topic.name());
        }
    }

    /** As {@link #pollWithoutReceiving}, on the way out: false when the consumer cannot poll any more. */
    private boolean pollQuietly() {
        try {
            pollWithoutReceiving();
            return true;
        } catch (RuntimeException e) {
            LOG.warn("worker consumer of {} cannot poll while stopping: {}", topic.name(), e.toString());
            return false;
        }
    }

    /** A poll that keeps the group membership going; no task is taken, and what it returns runs elsewhere. */
    private void pollWithoutReceiving() {
        consumer.pause(consumer.assignment());
        consumer.poll(Duration.ZERO);
    }

    /** A record not yet started, and the epoch of the assignment it was received under. */
    private record Received(ConsumerRecord<byte[], byte[]> record, long epoch) {
    }

    /** @param recorded whether Kafka acknowledged the task's outcome; only then may its offset be committed past */
    private record Completion(TopicPartition partition, long offset, long epoch, String tool, boolean recorded) {
    }

    /** A task whose tool was at its limit when its turn came. */
    private record Waiting(Received received, TaskMessage task, String tool) {
    }

    /** Runs inside poll, on this thread. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            joined = true;
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
            for (TopicPartition partition : partitions) {
                offsets.assigned(partition, committed.get(partition));
            }
            owned.addAll(partitions);
            ownedCount = owned.size();
            LOG.info("worker consumer of {} assigned {}", topic.name(), partitions);
        }

        /**
         * Under cooperative rebalancing only the partitions that move are revoked. Tasks running on
         * them get a few seconds to finish; then what finished is committed (what lies past the
         * oldest unfinished task, in the metadata) so the next owner skips it. A task still running
         * keeps running here, and since its offset is not committed, the next owner runs it too.
         */
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Set<TopicPartition> revoked = Set.copyOf(partitions);
            backlog.removeIf(received -> revoked.contains(ReadyRecords.partitionOf(received.record())));
            waiting.removeIf(task -> revoked.contains(ReadyRecords.partitionOf(task.received().record())));
            applyCompletions();
            if (running) {
                awaitTasksOn(revoked);
            }
            committer.commitRevoked(revoked);
            forget(revoked);
        }

        /** Waits a little for the tasks running on partitions about to move, so they need not run again. */
        private void awaitTasksOn(Set<TopicPartition> revoked) {
            long deadline = System.nanoTime() + HANDOVER_WAIT.toNanos();
            while (running && revoked.stream().anyMatch(runningOn::containsKey) && deadline - System.nanoTime() > 0) {
                awaitCompletion(POLL);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(Set.copyOf(partitions));
        }

        private void forget(Set<TopicPartition> partitions) {
            owned.removeAll(partitions);
            ownedCount = owned.size();
            offsets.forget(partitions);
            // Not started yet: the partition's next owner reads them from the committed offset.
            backlog.removeIf(received -> partitions.contains(ReadyRecords.partitionOf(received.record())));
            waiting.removeIf(task -> partitions.contains(ReadyRecords.partitionOf(task.received().record())));
        }
    }
}
