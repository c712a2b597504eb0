package io.taskgate.schemas.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyRuleMatchingTest {
    private final RateLimit hourly = new RateLimit(100, Duration.ofHours(1));
    private final Policy policy = new Policy(1, Policy.DEFAULT_RATE_LIMIT, null, Policy.defaults().ingress(), List.of(
            new TaskRule("http_fetch.*", hourly, List.of(), List.of("*.corp"), null, false, null, false),
            new TaskRule("internal.*", null, List.of(), List.of(), null, false, null, false),
            new TaskRule("internal.cache.*", null, List.of(), List.of(), null, true, null, false),
            new TaskRule("serpapi.search", new RateLimit(5, Duration.ofMinutes(1)), List.of("research-bot"), List.of(), null, false, null, false)));

    @Test
    void shouldPreferAnExactNameOverAPrefix() {
        assertEquals("serpapi.search", policy.ruleFor("serpapi.search").orElseThrow().pattern());
    }

    @Test
    void shouldPreferTheLongestMatchingPrefix() {
        assertEquals("internal.cache.*", policy.ruleFor("internal.cache.clear").orElseThrow().pattern());
        assertEquals("internal.*", policy.ruleFor("internal.users.list").orElseThrow().pattern());
    }

    @Test
    void shouldFallBackToTheDefaultRateLimit() {
        assertTrue(policy.ruleFor("echo.run").isEmpty());
        assertEquals(Policy.DEFAULT_RATE_LIMIT, policy.rateLimitFor("echo.run"));
        assertEquals(Policy.DEFAULT_RATE_LIMIT, policy.rateLimitFor("internal.users.list"));
        assertEquals(hourly, policy.rateLimitFor("http_fetch.get"));
    }

    @Test
    void shouldKeepATaskInternalWhenAMoreSpecificRuleOnlySetsARateLimit() {
        Policy layered = new Policy(1, Policy.DEFAULT_RATE_LIMIT, null, Policy.defaults().ingress(), List.of(
                new TaskRule("ops.*", null, List.of(), List.of(), null, false, null, true),
                new TaskRule("ops.restart", hourly, List.of(), List.of(), null, false, null)));

        assertTrue(layered.isInternal("ops.restart"));
        assertFalse(layered.isInternal("echo.run"));
    }

    @Test
    void shouldCombineTheBlockedDomainsOfEveryMatchingRule() {
        Policy layered = new Policy(1, Policy.DEFAULT_RATE_LIMIT, null, Policy.defaults().ingress(), List.of(
                new TaskRule("http_fetch.*", null, List.of(), List.of("*.corp"), null, false, null),
                new TaskRule("http_fetch.get", hourly, List.of(), List.of("metadata.internal"), null, false, null),
                new TaskRule("*", null, List.of(), List.of("*.corp", "localhost"), null, false, null)));

        assertEquals(List.of("http_fetch.get", "http_fetch.*", "*"),
                layered.rulesFor("http_fetch.get").stream().map(TaskRule::pattern).toList());
        assertEquals(List.of("metadata.internal", "*.corp", "localhost"), layered.blockedDomainsFor("http_fetch.get"));
        assertEquals(List.of("*.corp", "localhost"), layered.blockedDomainsFor("http_fetch.post"));
    }

    @Test
    void shouldTakeTheLimitFromTheMostSpecificRuleThatSetsOne() {
        Policy layered = new Policy(1, Policy.DEFAULT_RATE_LIMIT, null, Policy.defaults().ingress(), List.of(
                new TaskRule("serpapi.*", hourly, List.of(), List.of(), null, false, "search"),
                new TaskRule("serpapi.search", null, List.of("research-bot"), List.of(), null, false, null)));

        assertEquals(hourly, layered.rateLimitFor("serpapi.search"));
        assertEquals("serpapi.*", layered.rateLimitRuleFor("serpapi.search").orElseThrow().pattern());
        assertEquals("search", layered.poolFor("serpapi.search").orElseThrow());
    }

    @Test
    void shouldNotMatchAPrefixThatOnlySharesLetters() {
        assertTrue(policy.ruleFor("http_fetcher.get").isEmpty());
    }
}
