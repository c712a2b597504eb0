package io.taskgate.schemas.policy;

import io.taskgate.schemas.tasks.TaskRoute;
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
     * The most specific rule for a task name, which alone gives its rate limit and pool: an exact
     * pattern wins, then the longest matching {@code prefix.*}, then {@code *}. Restrictions come
     * from {@link #rulesFor} instead.
     */
    public Optional<TaskRule> ruleFor(String taskName) {
        return tasks.stream()
                .filter(rule -> matches(rule.pattern(), taskName))
                .max(Comparator.comparingInt((TaskRule rule) -> specificity(rule.pattern()))
                        .thenComparingInt(rule -> rule.pattern().length()));
    }

    /**
     * Every rule whose pattern matches a task name, most specific first. Their restrictions
     * (allowed agents, blocked domains) all apply together: a more specific rule that only sets a
     * rate limit must not lift the blocked domains of the prefix rule above it.
     */
    public List<TaskRule> rulesFor(String taskName) {
        return tasks.stream()
                .filter(rule -> matches(rule.pattern(), taskName))
                .sorted(Comparator.comparingInt((TaskRule rule) -> specificity(rule.pattern()))
                        .thenComparingInt(rule -> rule.pattern().length()).reversed())
                .toList();
    }

    /** Where a task is forwarded: the route of the most specific matching rule that has one. */
    public Optional<TaskRoute> routeFor(String taskName) {
        return rulesFor(taskName).stream().filter(rule -> rule.route() != null).findFirst()
                .map(rule -> new TaskRoute(rule.route(), rule.routeSecret(), rule.health()));
    }

    /** The blocked domains of every rule a task name matches, together. */
    public List<String> blockedDomainsFor(String taskName) {
        return rulesFor(taskName).stream().flatMap(rule -> rule.blockedDomains().stream()).distinct().toList();
    }

    /** Whether any rule a task name matches marks it internal: a restriction, so every rule's counts. */
    public boolean isInternal(String taskName) {
        return rulesFor(taskName).stream().anyMatch(TaskRule::internal);
    }

    private static int specificity(String pattern) {
        if (pattern.equals("*")) {
            return 0;
        }
        return pattern.endsWith(".*") ? 1 : 2;
    }

    /**
     * The rule whose rate limit applies to a task: the most specific matching rule that sets one.
     * Empty when none does, and the default limit applies.
     */
    public Optional<TaskRule> rateLimitRuleFor(String taskName) {
        return rulesFor(taskName).stream().filter(rule -> rule.rateLimit() != null).findFirst();
    }

    /** The rate limit that applies to a task: that of the most specific rule setting one, or the default. */
    public RateLimit rateLimitFor(String taskName) {
        return rateLimitRuleFor(taskName).map(TaskRule::rateLimit).orElse(defaultRateLimit);
    }

    /** The pool a task runs in: that of the most specific rule naming one; empty for the default pool. */
    public Optional<String> poolFor(String taskName) {
        return rulesFor(taskName).stream().map(TaskRule::pool).filter(Objects::nonNull).findFirst();
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
