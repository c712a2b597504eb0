package io.taskgate.schemas.policy;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The policy in force, parsed. Build one with {@link PolicyParser}; {@link #defaults()} is what
 * applies before any policy was ever published.
 */
public record Policy(int version, RateLimit defaultRateLimit, RateLimit globalRateLimit, IngressRules ingress, List<TaskRule> tasks) {
    public static final RateLimit DEFAULT_RATE_LIMIT = new RateLimit(600, Duration.ofMinutes(1));
    public static final RateLimit DEFAULT_PER_IP_RATE_LIMIT = new RateLimit(6000, Duration.ofMinutes(1));

    public Policy {
        Objects.requireNonNull(defaultRateLimit, "defaultRateLimit");
        Objects.requireNonNull(ingress, "ingress");
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
    }

    public static Policy defaults() {
        return new Policy(1, DEFAULT_RATE_LIMIT, null, new IngressRules(IpAllowlist.everyone(), DEFAULT_PER_IP_RATE_LIMIT), List.of());
    }

    /**
     * The rule for a task name: an exact pattern wins, then the longest matching {@code prefix.*},
     * then {@code *}.
     */
    public Optional<TaskRule> ruleFor(String taskName) {
        return tasks.stream()
                .filter(rule -> matches(rule.pattern(), taskName))
                .max(Comparator.comparingInt((TaskRule rule) -> specificity(rule.pattern()))
                        .thenComparingInt(rule -> rule.pattern().length()));
    }

    private static int specificity(String pattern) {
        if (pattern.equals("*")) {
            return 0;
        }
        return pattern.endsWith(".*") ? 1 : 2;
    }

    /** The rate limit that applies to a task: its rule's, or the default. */
    public RateLimit rateLimitFor(String taskName) {
        return ruleFor(taskName).map(TaskRule::rateLimit).orElse(defaultRateLimit);
    }

    public static boolean matches(String pattern, String taskName) {
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.endsWith(".*")) {
            String prefix = pattern.substring(0, pattern.length() - 1);
            return taskName.startsWith(prefix);
        }
        return pattern.equals(taskName);
    }
}
