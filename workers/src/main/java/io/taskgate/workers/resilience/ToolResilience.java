package io.taskgate.workers.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskgate.platform.concurrent.Futures;
import io.taskgate.platform.ops.GatewayMeters;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The retries, circuit breakers and timeouts of one worker: one named, immutable configuration
 * per tool, kept in this worker's own registries. A call is retried around its breaker, and the
 * breaker around a timed attempt, so every attempt counts for the breaker and an open breaker
 * ends the retries at once. Waits between attempts are scheduled, never slept.
 */
public final class ToolResilience {
    /** Applies to a tool that was not given a policy. */
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, ToolPolicy> policies;
    private final RetryRegistry retries;
    private final CircuitBreakerRegistry breakers;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;

    /**
     * @param tags added to every retry and breaker, and so to their metrics (e.g. the pool)
     */
    public ToolResilience(Collection<ToolPolicy> policies, ScheduledExecutorService scheduler, Clock clock,
                          Map<String, String> tags) {
        this.policies = policies.stream().collect(Collectors.toUnmodifiableMap(ToolPolicy::tool, Function.identity()));
        this.scheduler = scheduler;
        this.clock = clock;
        this.retries = RetryRegistry.custom().withTags(tags).build();
        this.breakers = CircuitBreakerRegistry.custom().withTags(tags).build();
        // Created up front so their metrics exist before the first call.
        this.policies.values().forEach(policy -> {
            retries.retry(policy.tool(), retryConfig(policy));
            breakers.circuitBreaker(policy.tool(), breakerConfig(policy));
        });
    }

    /** Publishes retry and breaker metrics (calls, states, failure rates) to this registry. */
    public void bindTo(MeterRegistry registry) {
        TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(registry);
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(registry);
    }

    /**
     * The seed gateway's {@code gateway_breaker_state{tool}} and {@code gateway_retries_total{tool}}
     * (at zero until a retry), for every tool with a policy, so dashboards show them from the start.
     */
    public void bindGatewayMeters(MeterRegistry registry, String pool) {
        policies.keySet().forEach(tool -> {
            CircuitBreaker breaker = breaker(tool);
            GatewayMeters.breakerState(registry, tool, pool, () -> stateCode(breaker.getState()));
            GatewayMeters.retries(registry, tool, pool);
        });
    }

    static int stateCode(CircuitBreaker.State state) {
        return switch (state) {
            case CLOSED -> GatewayMeters.BREAKER_CLOSED;
            case OPEN -> GatewayMeters.BREAKER_OPEN;
            case HALF_OPEN -> GatewayMeters.BREAKER_HALF_OPEN;
            default -> GatewayMeters.BREAKER_OTHER;
        };
    }

    public ToolPolicy policy(String tool) {
        return policies.getOrDefault(tool, ToolPolicy.standard(tool, DEFAULT_TIMEOUT));
    }

    public CircuitBreaker breaker(String tool) {
        ToolPolicy policy = policy(tool);
        return breakers.circuitBreaker(tool, () -> breakerConfig(policy));
    }

    /**
     * Runs the call under the tool's policy. The returned stage never fails: it holds the result
     * or the last failure, and the number of attempts made.
     */
    public <T> CompletionStage<Attempted<T>> execute(String tool, Supplier<CompletionStage<T>> call, AttemptListener listener) {
        ToolPolicy policy = policy(tool);
        Retry retry = retries.retry(tool, () -> retryConfig(policy));
        CircuitBreaker breaker = breaker(tool);
        AtomicInteger attempts = new AtomicInteger();
        Supplier<CompletionStage<T>> attempt = () -> {
            int number = attempts.incrementAndGet();
            return breaker.executeCompletionStage(() -> timed(call, policy.attemptTimeout()))
                    .whenComplete((result, failure) -> {
                        if (failure != null && number < policy.maxAttempts() && FailureClassifier.isRetryable(failure)) {
                            listener.willRetry(number, Futures.unwrap(failure));
                        }
                    });
        };
        return retry.executeCompletionStage(scheduler, attempt)
                .handle((result, failure) -> failure == null
                        ? Attempted.succeeded(result, attempts.get())
                        : Attempted.failed(failure, attempts.get()));
    }

    /** One attempt that fails with a {@link TimeoutException} when it takes longer than the timeout. */
    private <T> CompletionStage<T> timed(Supplier<CompletionStage<T>> call, Duration timeout) {
        CompletionStage<T> started;
        try {
            started = call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<T> attempt = started.toCompletableFuture();
        CompletableFuture<T> outcome = new CompletableFuture<>();
        AtomicReference<TimeoutException> timedOut = new AtomicReference<>();
        ScheduledFuture<?> timer = scheduler.schedule(() -> {
            timedOut.set(new TimeoutException("no answer within " + timeout.toMillis() + " ms"));
            attempt.cancel(true);
            // Reached when the tool's stage ignores cancellation.
            outcome.completeExceptionally(timedOut.get());
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        attempt.whenComplete((result, failure) -> {
            timer.cancel(false);
            if (timedOut.get() != null) {
                outcome.completeExceptionally(timedOut.get());
            } else if (failure == null) {
                outcome.complete(result);
            } else {
                outcome.completeExceptionally(Futures.unwrap(failure));
            }
        });
        return outcome;
    }

    private static <T> RetryConfig retryConfig(ToolPolicy policy) {
        IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(
                policy.initialBackoff(), policy.backoffMultiplier(), policy.jitter(), policy.maxBackoff());
        return RetryConfig.<T>custom()
                .maxAttempts(policy.maxAttempts())
                .retryOnException(FailureClassifier::isRetryable)
                .intervalBiFunction((attempt, outcome) -> {
                    if (outcome.isLeft()) {
                        Duration asked = FailureClassifier.retryAfter(outcome.getLeft()).orElse(null);
                        if (asked != null) {
                            return Math.min(asked.toMillis(), policy.maxRetryAfter().toMillis());
                        }
                    }
                    return backoff.apply(attempt);
                })
                .failAfterMaxAttempts(false)
                .build();
    }

    private CircuitBreakerConfig breakerConfig(ToolPolicy policy) {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(policy.slidingWindowSize())
                .minimumNumberOfCalls(policy.minimumCalls())
                .failureRateThreshold(policy.failureRateThreshold())
                .waitDurationInOpenState(policy.openDuration())
                .permittedNumberOfCallsInHalfOpenState(Math.min(3, policy.minimumCalls()))
                // Only the backend's trouble counts against it, not a caller's bad input or a refused URL.
                .recordException(FailureClassifier::isRetryable)
                .clock(clock)
                .build();
    }
}
