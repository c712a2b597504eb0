package io.taskgate.policy.pools;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskgate.platform.concurrent.BoundedExecutor;
import io.taskgate.platform.kafka.CompactedTopicView;
import io.taskgate.platform.kafka.TopicProvisioner;
import io.taskgate.schemas.policy.PolicyException;
import io.taskgate.schemas.policy.PolicyParser;
import io.taskgate.schemas.policy.PolicyRecord;
import io.taskgate.schemas.policy.TaskRule;
import io.taskgate.schemas.topics.TopicSpec;
import io.taskgate.schemas.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the ready topic of every pool a policy routes to, as soon as the policy is published
 * (or a task names a pool not seen yet), and answers whether a pool can take tasks. A creation
 * that fails is retried in the background with growing pauses; until it succeeds the pool is
 * unavailable and {@link PoolGate} rejects its tasks, and only its tasks.
 */
public final class ReadyTopics implements PoolAvailability, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReadyTopics.class);
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
    /** How long a decision waits for the first attempt at a pool's topic before calling it unavailable. */
    private static final Duration FIRST_ATTEMPT_WAIT = ATTEMPT_TIMEOUT.plusSeconds(2);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY = Duration.ofMinutes(1);

    private final Topics topics;
    private final Admin admin;
    private final ScheduledExecutorService attempts;
    private final Map<String, Pool> pools = new ConcurrentHashMap<>();

    /** One pool's topic: ready once an attempt succeeded; the last failure otherwise. */
    private static final class Pool {
        final CompletableFuture<Void> firstAttempt = new CompletableFuture<>();
        volatile boolean ready;
        volatile String failure;
    }

    public ReadyTopics(Topics topics, Admin admin, MeterRegistry metrics) {
        this.topics = topics;
        this.admin = admin;
        this.attempts = BoundedExecutor.scheduled("policy-ready-topics", 1, metrics);
        Gauge.builder("taskgate_policy_pools_unavailable", pools,
                        all -> all.values().stream().filter(pool -> pool.failure != null && !pool.ready).count())
                .description("pools whose ready topic could not be created yet; their tasks are rejected")
                .register(metrics);
    }

    /** Creates the pools' topics of every policy {@code policies} shows, from now on. */
    public void follow(CompactedTopicView<PolicyRecord> policies) {
        policies.onChange((key, record) -> poolsOf(record).forEach(this::track));
    }

    @Override
    public Optional<String> unavailable(String pool) {
        Pool state = track(pool);
        if (state.ready) {
            return Optional.empty();
        }
        try {
            state.firstAttempt.get(FIRST_ATTEMPT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Reported below from the pool's own state.
        }
        if (state.ready) {
            return Optional.empty();
        }
        String failure = state.failure;
        return Optional.of("its ready topic " + topics.ready(pool).name() + " could not be created ("
                + (failure == null ? "still being created" : failure) + "); creation is being retried");
    }

    private Pool track(String pool) {
        return pools.computeIfAbsent(pool, name -> {
            Pool state = new Pool();
            schedule(name, state, Duration.ZERO);
            return state;
        });
    }

    private void schedule(String pool, Pool state, Duration after) {
        try {
            attempts.schedule(() -> attempt(pool, state, after), after.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            state.firstAttempt.complete(null);
        }
    }

    private void attempt(String pool, Pool state, Duration lastPause) {
        TopicSpec<?, ?> topic = topics.ready(pool);
        try {
            new TopicProvisioner(admin, TopicProvisioner.BROKER_DEFAULT_REPLICATION).ensure(List.of(topic), ATTEMPT_TIMEOUT);
            state.ready = true;
            if (state.failure != null) {
                LOG.info("created {}: pool {} takes tasks again", topic.name(), pool);
            }
            state.failure = null;
        } catch (RuntimeException e) {
            Duration pause = lastPause.isZero() ? FIRST_RETRY : min(lastPause.multipliedBy(2), MAX_RETRY);
            state.failure = e.getMessage();
            LOG.warn("cannot create {}; tasks of pool {} are rejected until it exists; trying again in {} s: {}",
                    topic.name(), pool, pause.toSeconds(), e.getMessage());
            schedule(pool, state, pause);
        } finally {
            state.firstAttempt.complete(null);
        }
    }

    private List<String> poolsOf(PolicyRecord record) {
        if (record == null) {
            return List.of();
        }
        try {
            return PolicyParser.parse(record.document()).tasks().stream()
                    .map(TaskRule::pool)
                    .filter(Objects::nonNull)
                    .distinct()
                    .toList();
        } catch (PolicyException e) {
            return List.of(); // CurrentPolicy reports it; an invalid policy routes nowhere new
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public void close() {
        attempts.shutdownNow();
        admin.close(Duration.ofSeconds(5));
    }
}
