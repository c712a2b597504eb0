package io.taskgate.platform.state;

import io.taskgate.platform.kafka.CompactedTopicView;
import io.taskgate.platform.kafka.KafkaClients;
import io.taskgate.platform.kafka.KafkaSender;
import io.taskgate.platform.kafka.WriteNotVisibleException;
import io.taskgate.schemas.state.StateCommand;
import io.taskgate.schemas.state.StateEntry;
import io.taskgate.schemas.state.StateOutcome;
import io.taskgate.schemas.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Agents' state as any service reads and writes it. Reads come from this instance's copy of the
 * compacted {@code state} topic; writes go to {@code state.commands}, where the state processor
 * decides each key's writes one at a time (so compare-and-set holds across instances), and
 * {@link #write} returns the outcome once this instance's copy shows it: read-your-writes.
 */
public final class StateStoreClient implements AutoCloseable {
    private final Topics topics;
    private final KafkaSender sender;
    private final CompactedTopicView<StateEntry> view;
    private final OutcomeFollower outcomes;
    private final Clock clock;
    private final Duration writeTimeout;
    private final Object changed = new Object();

    public StateStoreClient(Topics topics, KafkaClients clients, KafkaSender sender, String clientId, Clock clock,
                            Duration writeTimeout) {
        this.topics = topics;
        this.sender = sender;
        this.view = new CompactedTopicView<>(topics.state(), clients.newConsumer(clientId + "-state", null));
        this.outcomes = new OutcomeFollower(topics.stateOutcomes(), clients.newConsumer(clientId + "-state-outcomes", null));
        this.clock = clock;
        this.writeTimeout = writeTimeout;
        view.onChange((key, value) -> {
            synchronized (changed) {
                changed.notifyAll();
            }
        });
    }

    public void start() {
        outcomes.start();
        view.start();
    }

    public boolean awaitCaughtUp(Duration timeout) {
        return view.awaitCaughtUp(timeout);
    }

    public boolean isCaughtUp() {
        return view.awaitCaughtUp(Duration.ZERO);
    }

    /** The key's entry unless absent or expired. */
    public Optional<StateEntry> get(String namespace, String key) {
        return view.get(StateEntry.topicKey(namespace, key)).filter(entry -> !entry.isExpired(clock.instant()));
    }

    /** The live keys of a namespace that start with the prefix, sorted, at most {@code limit}. */
    public List<StateEntry> list(String namespace, String prefix, int limit) {
        String start = StateEntry.topicKey(namespace, prefix);
        return view.snapshot().entrySet().stream()
                .filter(entry -> entry.getKey().startsWith(start) && !entry.getValue().isExpired(clock.instant()))
                .map(java.util.Map.Entry::getValue)
                .sorted(Comparator.comparing(StateEntry::key))
                .limit(limit)
                .toList();
    }

    /**
     * Sends the write, waits for its outcome and, when applied, for this instance to see it. Blocks:
     * call it off IO threads.
     *
     * @throws WriteNotVisibleException when Kafka, the processor or the view does not answer in time
     */
    public StateOutcome write(StateCommand command) {
        long deadline = System.nanoTime() + writeTimeout.toNanos();
        var outcome = outcomes.expect(command.commandId());
        StateOutcome decided;
        try {
            sender.send(topics.stateCommands(), command.topicKey(), command).get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
            decided = outcome.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WriteNotVisibleException("interrupted while writing state");
        } catch (ExecutionException | TimeoutException e) {
            throw new WriteNotVisibleException("the state write was not confirmed in time; it may still apply: read the key");
        } finally {
            outcomes.forget(command.commandId());
        }
        if (decided.result() == StateOutcome.Result.APPLIED && !awaitVisible(command, decided.version(), deadline)) {
            throw new WriteNotVisibleException("the state write was applied but is not visible here yet; retry the read shortly");
        }
        return decided;
    }

    private boolean awaitVisible(StateCommand command, long version, long deadline) {
        synchronized (changed) {
            while (!visible(command, version)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    changed.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    private boolean visible(StateCommand command, long version) {
        Optional<StateEntry> now = view.get(command.topicKey());
        return command.op() == StateCommand.Op.PUT
                ? now.map(entry -> entry.version() >= version).orElse(false)
                : now.map(entry -> entry.version() > version).orElse(true);
    }

    @Override
    public void close() {
        outcomes.close();
        view.close();
    }
}
