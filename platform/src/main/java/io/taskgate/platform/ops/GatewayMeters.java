package io.taskgate.platform.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntSupplier;

/**
 * The seed gateway's metric names, kept so that its dashboards and alerts keep working: each
 * service registers the ones it can observe (ingress the requests and token checks,
 * policy-stream the denials, workers the retries and breakers). Taskgate's own metrics
 * ({@code taskgate_*}) stand beside them, in Prometheus' base units.
 */
public final class GatewayMeters {
    public static final String REQUESTS = "gateway_requests";
    /** In milliseconds, as the seed had it; {@code taskgate_http_requests_seconds} is the same in seconds. */
    public static final String REQUEST_DURATION = "gateway_request_duration_ms";
    public static final String TOKEN_VALIDATIONS = "gateway_token_validations";
    public static final String POLICY_DENIALS = "gateway_policy_denials";
    public static final String RETRIES = "gateway_retries";
    public static final String BREAKER_STATE = "gateway_breaker_state";

    /** The seed's breaker states as numbers: closed 0, open 1, half-open 2; anything else (disabled, forced) 3. */
    public static final int BREAKER_CLOSED = 0;
    public static final int BREAKER_OPEN = 1;
    public static final int BREAKER_HALF_OPEN = 2;
    public static final int BREAKER_OTHER = 3;

    private static final double[] DURATION_BUCKETS_MS = {5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000};

    private GatewayMeters() {
    }

    /** One task request answered: its tool and action ({@code unknown} for names not in the catalog) and HTTP status. */
    public static void request(MeterRegistry registry, String tool, String action, int status, double millis) {
        Counter.builder(REQUESTS)
                .description("task requests answered, by tool, action and HTTP status")
                .tags("tool", tool, "action", action, "status", Integer.toString(status))
                .register(registry)
                .increment();
        DistributionSummary.builder(REQUEST_DURATION)
                .description("time to answer a task request, in milliseconds")
                .tags("tool", tool, "action", action)
                .serviceLevelObjectives(DURATION_BUCKETS_MS)
                .register(registry)
                .record(millis);
    }

    /** Access-token checks: {@code valid}, or why the token was refused. */
    public static Counter tokenValidations(MeterRegistry registry, String result) {
        return Counter.builder(TOKEN_VALIDATIONS)
                .description("access tokens checked: valid, or why they were refused")
                .tag("result", result)
                .register(registry);
    }

    /** Tasks the policy denied, by reason (rate_limited, policy_denied, domain_blocked, ...). */
    public static Counter policyDenials(MeterRegistry registry, String reason) {
        return Counter.builder(POLICY_DENIALS)
                .description("tasks the policy denied, by reason")
                .tag("reason", reason)
                .register(registry);
    }

    /** Failed tool calls that will be tried again. */
    public static Counter retries(MeterRegistry registry, String tool, String pool) {
        return Counter.builder(RETRIES)
                .description("tool calls retried after a failed attempt")
                .tags("tool", tool, "pool", pool)
                .register(registry);
    }

    /** A tool's circuit breaker: 0 closed, 1 open, 2 half-open, 3 disabled or forced. */
    public static void breakerState(MeterRegistry registry, String tool, String pool, IntSupplier state) {
        Gauge.builder(BREAKER_STATE, state, IntSupplier::getAsInt)
                // Nothing else holds the supplier: a weak reference would turn the gauge into NaN at the next GC.
                .strongReference(true)
                .description("circuit breaker of a tool: 0 closed, 1 open, 2 half-open, 3 disabled or forced")
                .tags("tool", tool, "pool", pool)
                .register(registry);
    }

    /**
     * Every tool whose {@code gateway_breaker_state} says open or half-open in this registry, with
     * {@code open} or {@code half_open}; a tool open in one pool and half-open in another is open.
     */
    public static Map<String, String> breakersNotClosed(MeterRegistry registry) {
        Map<String, String> states = new TreeMap<>();
        registry.find(BREAKER_STATE).gauges().forEach(gauge -> {
            String tool = gauge.getId().getTag("tool");
            int state = (int) gauge.value();
            if (tool != null && state == BREAKER_OPEN) {
                states.put(tool, "open");
            } else if (tool != null && state == BREAKER_HALF_OPEN) {
                states.putIfAbsent(tool, "half_open");
            }
        });
        return states;
    }
}
