package io.taskgate.policy.decision;

import io.taskgate.policy.ratelimit.RateLimiter;
import io.taskgate.schemas.errors.ErrorDetail;
import io.taskgate.schemas.policy.RateLimit;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The global (all agents together) rate limit. Tasks their own rules allowed reach it through a
 * one-partition repartition topic, so every task of the installation is counted in one window by
 * one instance, exactly once, whichever instance decided the rest; tasks are only routed here while
 * the policy sets a global limit. Forwards the final decision, keyed by task id again.
 */
public final class GlobalGate implements Processor<String, Decision, String, Decision> {
    public static final String STORE = "global-window";
    /** The one key every task is counted under, and so the one partition they all go to. */
    public static final String KEY = "global";
    static final String RULE = "global";

    private final Clock clock;
    private ProcessorContext<String, Decision> context;
    private CurrentPolicy policy;
    private RateLimiter limiter;

    public GlobalGate(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<String, Decision> context) {
        this.context = context;
        this.policy = new CurrentPolicy(context.getStateStore(CurrentPolicy.STORE));
        this.limiter = new RateLimiter(context.getStateStore(STORE));
    }

    @Override
    public void process(Record<String, Decision> record) {
        Decision pending = record.value();
        if (pending == null) {
            return;
        }
        context.forward(record.withKey(pending.task().taskId()).withValue(decide(pending, record.timestamp())));
    }

    private Decision decide(Decision pending, long atMillis) {
        RateLimit limit = policy.get().globalRateLimit();
        // The limit may have been removed while the task was on its way here.
        Optional<ErrorDetail> denial = limit == null
                ? Optional.empty()
                : PolicyDecider.rateLimitDenial(limiter.tryAcquire(KEY, limit, atMillis), limit, RULE);
        return denial.map(reason -> Decision.deny(pending.task(), RULE, reason, clock.instant()))
                .orElseGet(() -> Decision.allow(pending.task(), pending.rule(), pending.pool(), pending.at()));
    }
}
