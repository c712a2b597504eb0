package io.taskgate.schemas.policy;

import java.util.List;
import java.util.Objects;

/**
 * What the policy says of the tasks a pattern matches: an exact name ({@code serpapi.search}) or a
 * prefix ending in {@code .*} ({@code http_fetch.*}). Absent settings are null (rate limit, route,
 * pool, route secret, health path) or empty (lists); {@code allowedAgents} empty means every agent.
 * An {@code internal} task is callable only with a {@code service} API key; a task is never both
 * public and internal.
 */
public record TaskRule(
        String pattern,
        RateLimit rateLimit,
        List<String> allowedAgents,
        List<String> blockedDomains,
        String route,
        boolean isPublic,
        String pool,
        boolean internal,
        String routeSecret,
        String health) {

    /** A rule that is not internal and has no route secret. */
    public TaskRule(String pattern, RateLimit rateLimit, List<String> allowedAgents, List<String> blockedDomains, String route,
                    boolean isPublic, String pool) {
        this(pattern, rateLimit, allowedAgents, blockedDomains, route, isPublic, pool, false, null, null);
    }

    /** A rule without a route secret. */
    public TaskRule(String pattern, RateLimit rateLimit, List<String> allowedAgents, List<String> blockedDomains, String route,
                    boolean isPublic, String pool, boolean internal) {
        this(pattern, rateLimit, allowedAgents, blockedDomains, route, isPublic, pool, internal, null, null);
    }

    public TaskRule {
        Objects.requireNonNull(pattern, "pattern");
        allowedAgents = allowedAgents == null ? List.of() : List.copyOf(allowedAgents);
        blockedDomains = blockedDomains == null ? List.of() : List.copyOf(blockedDomains);
        if (isPublic && internal) {
            throw new IllegalArgumentException("task rule " + pattern + " cannot be both public and internal");
        }
    }
}
