package io.taskgate.ingress.tasks;

import io.taskgate.ingress.http.RateLimitHeaders;
import io.taskgate.schemas.policy.Policy;
import io.taskgate.schemas.policy.RateLimit;
import io.taskgate.schemas.policy.TaskRule;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/**
 * The rate-limit headers of a task's answer, from the policy in force: the limit of the rule the
 * task fell under (named by its pattern, or {@code defaults}) and, while one is set, the global
 * limit. A held {@code POST} gets {@code RateLimit-Policy}; a RATE_LIMITED 429 also gets
 * {@code RateLimit} (nothing remaining, room again after Retry-After), except while a global limit
 * is set, since then the denial does not say which of the two it met.
 */
final class AppliedLimits {
    static final String DEFAULT_RULE = "defaults";
    static final String GLOBAL = "global";

    private AppliedLimits() {
    }

    static void describe(HttpServerExchange exchange, Policy policy, String taskName) {
        String rule = ruleName(policy, taskName);
        String value = policyValue(policy, taskName, rule);
        exchange.getResponseHeaders().put(RateLimitHeaders.POLICY, value);
    }

    static void exhausted(HttpServerExchange exchange, Policy policy, String taskName, long retryAfterS) {
        String rule = ruleName(policy, taskName);
        if (policy.globalRateLimit() == null) {
            RateLimitHeaders.state(exchange, rule, policy.rateLimitFor(taskName), 0, retryAfterS);
        } else {
            describe(exchange, policy, taskName);
        }
        exchange.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString(retryAfterS));
    }

    private static String policyValue(Policy policy, String taskName, String rule) {
        RateLimit own = policy.rateLimitFor(taskName);
        RateLimit global = policy.globalRateLimit();
        String value = RateLimitHeaders.policyValue(rule, own);
        return global == null ? value : value + ", " + RateLimitHeaders.policyValue(GLOBAL, global);
    }

    private static String ruleName(Policy policy, String taskName) {
        return policy.ruleFor(taskName).map(TaskRule::pattern).orElse(DEFAULT_RULE);
    }
}
