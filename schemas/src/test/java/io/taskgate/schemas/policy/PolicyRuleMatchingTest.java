package io.taskgate.schemas.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void shouldNotMatchAPrefixThatOnlySharesLetters() {
        assertTrue(policy.ruleFor("http_fetcher.get").isEmpty());
    }
}
