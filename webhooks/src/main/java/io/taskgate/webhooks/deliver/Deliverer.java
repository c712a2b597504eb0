package io.taskgate.webhooks.deliver;

import io.micrometer.core.instrument.MeterRegistry;
import io.taskgate.platform.kafka.KafkaSender;
import io.taskgate.platform.net.TargetAddresses;
import io.taskgate.schemas.agents.AgentRecord;
import io.taskgate.schemas.topics.TopicSpec;
import io.taskgate.schemas.webhooks.WebhookRecord;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@code due} record into an attempt and reports its outcome to {@code webhooks}. The
 * blocking HTTP call runs on a bounded pool, with at most {@code hostConcurrency} attempts to one
 * host; a few more wait here for that host, and beyond those (or when the pool is full) an attempt
 * is not made but reported {@code deferred}, so the poll loop never waits on a slow receiver and
 * other receivers' webhooks go on. The returned future completes
 * once the outcome is in Kafka; until then the due record's offset is not committed, so a deliverer
 * that dies mid-attempt makes the attempt again after restart (at-least-once, same webhook-id).
 */
public final class Deliverer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Deliverer.class);
    private static final long REPORT_RETRY_MS = 1_000;
    /** Receivers answer a webhook with a status; a little of a body is tolerated, a lot fails the attempt. */
    static final int MAX_ANSWER_BYTES = 64 * 1024;
    /**
     * Attempts that wait here for a busy host, per slot of that host, before further ones are
     * deferred through Kafka: enough to ride out a burst to one receiver without a round trip, few
     * enough that a dead receiver holds little of the poll loop's budget.
     */
    static final int WAITING_PER_SLOT = 4;

    private final WebhookSender sender;
    private final HostLimits hosts;
    private final Executor attempts;
    private final KafkaSender kafka;
    private final TopicSpec<String, WebhookRecord> topic;
    private final Function<String, Optional<AgentRecord>> agents;
    private final WebhookMeters meters;
    private final Clock clock;
    /** Attempts waiting for a slot of their host, by host; guarded by itself, as is taking a slot. */
    private final Map<String, Deque<Waiting>> waiting = new HashMap<>();
    private final int maxWaitingPerHost;
    private volatile boolean stopping;

    Deliverer(WebhookSender sender, HostLimits hosts, int maxWaitingPerHost, Executor attempts, KafkaSender kafka,
              TopicSpec<String, WebhookRecord> topic, Function<String, Optional<AgentRecord>> agents, WebhookMeters meters,
              Clock clock) {
        this.maxWaitingPerHost = maxWaitingPerHost;
        this.sender = sender;
        this.hosts = hosts;
        this.attempts = attempts;
        this.kafka = kafka;
        this.topic = topic;
        this.agents = agents;
        this.meters = meters;
        this.clock = clock;
    }

    /**
     * A deliverer making at most {@code concurrency} attempts at once on {@code attempts} (a pool of
     * that many threads), {@code hostConcurrency} of them to one host, each bounded by {@code timeout}.
     */
    public static Deliverer create(TargetAddresses addresses, ScheduledExecutorService timers, Executor attempts,
                                   KafkaSender kafka, TopicSpec<String, WebhookRecord> topic,
                                   Function<String, Optional<AgentRecord>> agents, MeterRegistry metrics, Clock clock,
                                   Duration timeout, boolean allowHttp, int concurrency, int hostConcurrency) {
        WebhookSender sender = new WebhookSender(addresses, timers, timeout, MAX_ANSWER_BYTES, allowHttp, concurrency,
                hostConcurrency);
        return new Deliverer(sender, new HostLimits(hostConcurrency), hostConcurrency * WAITING_PER_SLOT, attempts, kafka, topic,
                agents, new WebhookMeters(metrics), clock);
    }

    /** Completes when the attempt's outcome (or its deferral) is recorded in Kafka. */
    CompletableFuture<Void> handle(WebhookRecord due) {
        String host = hostOf(due.callbackUrl());
        synchronized (waiting) {
            if (!hosts.tryAcquire(host)) {
                Deque<Waiting> queue = waiting.computeIfAbsent(host, key -> new ArrayDeque<>());
                if (queue.size() >= maxWaitingPerHost) {
                    return defer(due);
                }
                Waiting next = new Waiting(due, new CompletableFuture<>());
                queue.add(next);
                return next.done();
            }
        }
        return start(host, due);
    }

    /** Makes the attempt on the pool, holding one of {@code host}'s slots, which passes to the next waiting attempt after it. */
    private CompletableFuture<Void> start(String host, WebhookRecord due) {
        CompletableFuture<WebhookRecord> attempted;
        try {
            attempted = CompletableFuture.supplyAsync(() -> attempt(due), attempts);
        } catch (RejectedExecutionException full) {
            releaseOrPass(host);
            return defer(due);
        }
        return attempted.whenComplete((outcome, error) -> releaseOrPass(host)).thenCompose(this::report);
    }

    private void releaseOrPass(String host) {
        Waiting next;
        synchronized (waiting) {
            Deque<Waiting> queue = waiting.get(host);
            next = queue == null ? null : queue.poll();
            if (queue != null && queue.isEmpty()) {
                waiting.remove(host);
            }
            if (next == null) {
                hosts.release(host);
                return;
            }
        }
        start(host, next.due()).whenComplete((done, error) -> {
            if (error != null) {
                next.done().completeExceptionally(error);
            } else {
                next.done().complete(null);
            }
        });
    }

    private WebhookRecord attempt(WebhookRecord due) {
        Instant started = clock.instant();
        if (due.attempt() != null && due.attempt() == 1 && due.endedAt() != null) {
            meters.firstAttemptStarted(Duration.between(due.endedAt(), started));
        }
        AttemptResult result;
        try {
            List<String> secrets = agents.apply(due.agentId()).map(agent -> agent.webhookSecretsAt(started)).orElse(List.of());
            result = secrets.isEmpty()
                    ? AttemptResult.failed(null, "the agent has no webhook secret", "no_secret", 0)
                    : sender.post(due.callbackUrl(), due.webhookId(), started.getEpochSecond(),
                            Signatures.header(secrets, due.webhookId(), started.getEpochSecond(), due.payload()), due.payload());
        } catch (RuntimeException e) {
            // Recorded as a failed attempt, so the schedule goes on rather than the partition stalling.
            LOG.error("webhook {} attempt {} could not be made", due.webhookId(), due.attempt(), e);
            result = AttemptResult.failed(null, "internal error (" + e.getClass().getSimpleName() + ")", "internal", 0);
        }
        meters.attempted(result);
        return due.outcome(started, result.statusCode(), result.error(), result.durationMs());
    }

    private CompletableFuture<Void> defer(WebhookRecord due) {
        meters.deferred();
        return report(due.deferredAt(clock.instant()));
    }

    /** Sends until Kafka takes it: the outcome of an attempt made must not be dropped while this deliverer runs. */
    private CompletableFuture<Void> report(WebhookRecord outcome) {
        return kafka.send(topic, outcome.taskId(), outcome).<Void>thenApply(metadata -> null).exceptionallyCompose(error -> {
            if (stopping) {
                return CompletableFuture.failedFuture(error);
            }
            LOG.warn("outcome of webhook {} attempt {} not recorded yet, retrying: {}", outcome.webhookId(), outcome.attempt(),
                    error.toString());
            Executor later = CompletableFuture.delayedExecutor(REPORT_RETRY_MS, TimeUnit.MILLISECONDS);
            return CompletableFuture.runAsync(() -> { }, later).thenCompose(ignored -> report(outcome));
        });
    }

    /** Host and port: the unit receivers are limited by (one receiver may serve many paths). */
    static String hostOf(String url) {
        try {
            URI uri = URI.create(url);
            return (uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT)) + ":" + uri.getPort();
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    @Override
    public void close() throws IOException {
        stopping = true;
        sender.close();
    }

    private record Waiting(WebhookRecord due, CompletableFuture<Void> done) {
    }
}
