package io.taskgate.policy.decision;

import io.taskgate.policy.ratelimit.RateLimiter;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import io.taskgate.schemas.policy.ClientNetwork;
import io.taskgate.schemas.policy.Policy;
import io.taskgate.schemas.policy.RateLimit;
import io.taskgate.schemas.policy.TaskRule;
import io.taskgate.schemas.tasks.TaskIds;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Decides each requested task, in order: a task id seen in the last 24 hours is dropped; then the
 * allowed agents and blocked domains of every rule the task matches, and the rate limit of
 * (agent, most specific rule) over a sliding window of record time. Forwards one {@link Decision} per new task, keyed by task id; the
 * record's headers (request id) travel on with it. The global limit is counted after this, in one
 * place ({@link GlobalGate}), as it spans every agent and so every partition.
 */
public final class PolicyDecider implements Processor<String, TaskMessage, String, Decision> {
    /** The rule name of tasks no pattern matches; no pattern can be spelled like it. */
    public static final String DEFAULT_RULE = "defaults";

    private final Clock clock;
    private ProcessorContext<String, Decision> context;
    private CurrentPolicy policy;
    private SeenTasks seen;
    private RateLimiter limiter;

    public PolicyDecider(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<String, Decision> context) {
        this.context = context;
        this.policy = new CurrentPolicy(context.getStateStore(CurrentPolicy.STORE));
        this.seen = new SeenTasks(context.getStateStore(SeenTasks.STORE));
        this.limiter = new RateLimiter(context.getStateStore(RateLimiter.STORE));
    }

    @Override
    public void process(Record<String, TaskMessage> record) {
        TaskMessage task = record.value();
        if (task == null || !seen.firstSighting(task.taskId(), record.timestamp())) {
            return;
        }
        context.forward(record.withKey(task.taskId()).withValue(decide(task, record.timestamp())));
    }

    private Decision decide(TaskMessage task, long atMillis) {
        Policy current = policy.get();
        Optional<TaskRule> rule = current.ruleFor(task.name());
        List<TaskRule> matched = current.rulesFor(task.name());
        String ruleName = rule.map(TaskRule::pattern).orElse(DEFAULT_RULE);
        Optional<ErrorDetail> denial = firstDenial(matched, r -> AccessRules.agentDenied(r, task))
                .or(() -> firstDenial(matched, r -> AccessRules.domainBlocked(r, task)))
                .or(() -> rateLimited(task, current.rateLimitRuleFor(task.name()).map(TaskRule::pattern).orElse(DEFAULT_RULE),
                        current.rateLimitFor(task.name()), atMillis));
        String pool = current.poolFor(task.name()).orElse(Topics.DEFAULT_POOL);
        if (denial.isPresent()) {
            return Decision.deny(task, ruleName, denial.get(), clock.instant());
        }
        TaskMessage admitted = task.withBlockedDomains(current.blockedDomainsFor(task.name()))
                .withRoute(current.routeFor(task.name()).orElse(null));
        return current.globalRateLimit() == null
                ? Decision.allow(admitted, ruleName, pool, clock.instant())
                : Decision.allowIfGlobalLimitPermits(admitted, ruleName, pool, clock.instant());
    }

    private static Optional<ErrorDetail> firstDenial(List<TaskRule> rules, Function<TaskRule, Optional<ErrorDetail>> check) {
        return rules.stream().map(check).flatMap(Optional::stream).findFirst();
    }

    private Optional<ErrorDetail> rateLimited(TaskMessage task, String ruleName, RateLimit limit, long atMillis) {
        return rateLimitDenial(limiter.tryAcquire(requester(task) + "|" + ruleName, limit, atMillis), limit, ruleName);
    }

    /** The RATE_LIMITED denial for a wait, rounded up to whole seconds; empty when there is no wait. */
    static Optional<ErrorDetail> rateLimitDenial(Duration wait, RateLimit limit, String ruleName) {
        if (wait.isZero()) {
            return Optional.empty();
        }
        long retryAfterS = Math.max(1, (wait.toMillis() + 999) / 1000);
        return Optional.of(ErrorDetail.retryable(ErrorCode.RATE_LIMITED,
                "rate limit " + limit + " of " + ruleName + " reached; retry in " + retryAfterS + " s", retryAfterS));
    }

    /**
     * Whose limit a task counts against: its agent's, or for a public task posted without a token,
     * its client network's (an IPv4 address, an IPv6 /64), so one anonymous client cannot use up
     * the limit of every other.
     */
    static String requester(TaskMessage task) {
        if (task.agentId() != null && !TaskIds.ANONYMOUS.equals(task.agentId())) {
            return task.agentId();
        }
        return "ip:" + ClientNetwork.of(task.clientIp());
    }
}
