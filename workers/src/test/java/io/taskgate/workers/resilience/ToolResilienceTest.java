package io.taskgate.workers.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskgate.tool.api.ToolException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ToolResilienceTest {
    private static final Duration FAST = Duration.ofMillis(1);

    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final List<Integer> retriedAttempts = new CopyOnWriteArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();

    @AfterEach
    void shutdown() {
        scheduler.shutdownNow();
    }

    @Test
    void shouldRetryRetryableFailuresUpToMaxAttemptsAndReportEachRetriedAttempt() throws Exception {
        ToolResilience resilience = resilience(fast("flaky"));

        Attempted<String> outcome = run(resilience, "flaky",
                () -> failing(ToolException.transientFailure("http_fetch got 503", null)));

        assertEquals(3, calls.get());
        assertEquals(3, outcome.attempts());
        assertEquals(List.of(1, 2), retriedAttempts, "the last attempt is not retried, so not reported as such");
        assertInstanceOf(ToolException.class, outcome.failure());
    }

    @Test
    void shouldSucceedOnALaterAttempt() throws Exception {
        ToolResilience resilience = resilience(fast("flaky"));

        Attempted<String> outcome = run(resilience, "flaky", () -> calls.get() < 1
                ? failing(new TimeoutException("slow"))
                : CompletableFuture.completedFuture("ok"));

        assertTrue(outcome.succeeded());
        assertEquals("ok", outcome.result());
        assertEquals(2, outcome.attempts());
    }

    @Test
    void shouldNeverRetryTheCallersFaultOrARefusedTarget() throws Exception {
        ToolResilience resilience = resilience(fast("strict"));

        Attempted<String> outcome = run(resilience, "strict", () -> failing(ToolException.refused("loopback")));

        assertEquals(1, calls.get());
        assertEquals(List.of(), retriedAttempts);
        assertEquals(1, outcome.attempts());
    }

    @Test
    void shouldTimeOutAnAttemptThatTakesTooLong() throws Exception {
        ToolPolicy policy = new ToolPolicy("slow", 2, FAST, 2.0, 0.5, FAST, FAST, Duration.ofMillis(50), 50f, 10, 10,
                Duration.ofSeconds(30));
        ToolResilience resilience = resilience(policy);
        List<CompletableFuture<String>> attempts = new CopyOnWriteArrayList<>();

        Attempted<String> outcome = run(resilience, "slow", () -> {
            CompletableFuture<String> never = new CompletableFuture<>();
            attempts.add(never);
            return never;
        });

        assertInstanceOf(TimeoutException.class, outcome.failure());
        assertEquals(2, outcome.attempts(), "a timeout is retried");
        assertTrue(attempts.stream().allMatch(CompletableFuture::isCancelled), "timed-out attempts are cancelled");
    }

    @Test
    void shouldFailFastWhileTheCircuitIsOpen() throws Exception {
        ToolPolicy policy = fast("breaking").withMaxAttempts(1).withCircuit(2, 2, Duration.ofMinutes(1));
        ToolResilience resilience = resilience(policy);
        Supplier<CompletionStage<String>> broken = () -> failing(ToolException.transientFailure("502", null));

        run(resilience, "breaking", broken);
        run(resilience, "breaking", broken);
        assertEquals(CircuitBreaker.State.OPEN, resilience.breaker("breaking").getState());

        Attempted<String> outcome = run(resilience, "breaking", broken);
        assertInstanceOf(CallNotPermittedException.class, outcome.failure());
        assertEquals(2, calls.get(), "the tool is not called while the circuit is open");
        assertTrue(FailureClassifier.toError(outcome.failure()).message().startsWith("circuit open"));
    }

    @Test
    void shouldNotOpenTheCircuitForTheCallersMistakes() throws Exception {
        ToolPolicy policy = fast("careful").withMaxAttempts(1).withCircuit(2, 2, Duration.ofMinutes(1));
        ToolResilience resilience = resilience(policy);

        for (int i = 0; i < 4; i++) {
            run(resilience, "careful", () -> failing(ToolException.badInput("bad")));
        }

        assertEquals(CircuitBreaker.State.CLOSED, resilience.breaker("careful").getState());
        assertEquals(4, calls.get());
    }

    @Test
    void shouldHonourRetryAfterUpToItsCap() throws Exception {
        ToolPolicy policy = fast("busy").withMaxAttempts(2).withBackoff(FAST, Duration.ofMillis(20));
        ToolResilience resilience = resilience(policy);
        long started = System.nanoTime();

        Attempted<String> outcome = run(resilience, "busy", () -> calls.get() < 1
                ? failing(ToolException.transientFailure("429", Duration.ofHours(1)))
                : CompletableFuture.completedFuture("ok"));

        assertTrue(outcome.succeeded());
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(waitedMs >= 20, "waited for the capped Retry-After, " + waitedMs + " ms");
    }

    @Test
    void shouldPublishRetryAndBreakerMetricsTaggedByPool() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ToolResilience resilience = resilience(fast("measured"));
        resilience.bindTo(registry);

        run(resilience, "measured", () -> CompletableFuture.completedFuture("ok"));

        assertTrue(registry.find("resilience4j.retry.calls").tags("name", "measured", "pool", "test").functionCounters().size() > 0);
        assertTrue(registry.find("resilience4j.circuitbreaker.state").tags("name", "measured", "pool", "test").gauges().size() > 0);
    }

    @Test
    void shouldShowEachBreakerUnderTheSeedGatewaysNameAsOpenOrClosed() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ToolResilience resilience = resilience(fast("measured"));
        resilience.bindGatewayMeters(registry, "test");
        assertEquals(0.0, registry.get("gateway_breaker_state").tags("tool", "measured", "pool", "test").gauge().value());
        assertEquals(0.0, registry.get("gateway_retries").tags("tool", "measured", "pool", "test").counter().count());

        resilience.breaker("measured").transitionToOpenState();

        assertEquals(1.0, registry.get("gateway_breaker_state").tags("tool", "measured", "pool", "test").gauge().value());
        resilience.breaker("measured").transitionToHalfOpenState();
        assertEquals(2.0, registry.get("gateway_breaker_state").tags("tool", "measured", "pool", "test").gauge().value());
    }

    private ToolResilience resilience(ToolPolicy policy) {
        return new ToolResilience(List.of(policy), scheduler, Clock.systemUTC(), Map.of("pool", "test"));
    }

    private static ToolPolicy fast(String tool) {
        return ToolPolicy.standard(tool, Duration.ofSeconds(5)).withBackoff(FAST, FAST);
    }

    private Attempted<String> run(ToolResilience resilience, String tool, Supplier<CompletionStage<String>> call) throws Exception {
        return resilience.<String>execute(tool, () -> {
                    CompletionStage<String> stage = call.get();
                    calls.incrementAndGet();
                    return stage;
                }, (attempt, failure) -> retriedAttempts.add(attempt))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static CompletionStage<String> failing(Throwable failure) {
        return CompletableFuture.failedFuture(failure);
    }
}
