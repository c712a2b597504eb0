package io.taskgate.schemas.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyParserTest {

    private static final String DESIGN_EXAMPLE = """
            version: 1
            defaults:
              rate_limit: 600/minute          # per agent and task pattern, sliding window
            global:
              rate_limit: 100000/minute       # all agents together
            ingress:
              ip_allowlist: [10.0.0.0/8, "192.168.*", 127.0.0.1]   # absent or empty: all allowed
              per_ip_rate_limit: 6000/minute
            tasks:
              serpapi.search:
                rate_limit: 100/hour
                allowed_agents: [research-bot]  # agent names or ids
              http_fetch.*:
                rate_limit: 1000/hour
                blocked_domains: [internal.company.com, "*.corp"]
              users.*:
                route: http://127.0.0.1:9000    # forward the task to a backend service
              public.*:
                public: true                    # no token needed
            """;

    @Test
    void shouldReadTheDesignExample() {
        Policy policy = PolicyParser.parse(DESIGN_EXAMPLE);

        assertEquals(1, policy.version());
        assertEquals(new RateLimit(600, Duration.ofMinutes(1)), policy.defaultRateLimit());
        assertEquals(new RateLimit(100_000, Duration.ofMinutes(1)), policy.globalRateLimit());
        assertEquals(List.of("10.0.0.0/8", "192.168.*", "127.0.0.1"), policy.ingress().ipAllowlist().entries());
        assertEquals(new RateLimit(6000, Duration.ofMinutes(1)), policy.ingress().perIpRateLimit());
        assertEquals(List.of(
                new TaskRule("serpapi.search", new RateLimit(100, Duration.ofHours(1)), List.of("research-bot"), List.of(), null, false, null, false),
                new TaskRule("http_fetch.*", new RateLimit(1000, Duration.ofHours(1)), List.of(),
                        List.of("internal.company.com", "*.corp"), null, false, null, false),
                new TaskRule("users.*", null, List.of(), List.of(), "http://127.0.0.1:9000", false, null, false),
                new TaskRule("public.*", null, List.of(), List.of(), null, true, null, false)), policy.tasks());
    }

    @Test
    void shouldReadInternalTasks() {
        Policy policy = PolicyParser.parse("version: 1\ntasks:\n  internal.*:\n    internal: true\n  echo.run: {}\n");

        assertTrue(policy.ruleFor("internal.cache.clear").orElseThrow().internal());
        assertFalse(policy.ruleFor("echo.run").orElseThrow().internal());
    }

    @Test
    void shouldRefuseATaskBothPublicAndInternalNamingTheField() {
        PolicyException e = assertThrows(PolicyException.class,
                () -> PolicyParser.parse("version: 1\ntasks:\n  ops.*:\n    public: true\n    internal: true\n"));

        assertEquals("tasks.ops.*.internal", e.field());
        assertEquals(5, e.line());
    }

    @Test
    void shouldReadJson() {
        Policy policy = PolicyParser.parse("""
                {
                	"version": 1,
                	"tasks": {"echo.*": {"rate_limit": "2/m", "pool": "fast_lane", "public": false}}
                }
                """);

        TaskRule rule = policy.ruleFor("echo.run").orElseThrow();
        assertEquals(new RateLimit(2, Duration.ofMinutes(1)), rule.rateLimit());
        assertEquals("fast_lane", rule.pool());
        assertFalse(rule.isPublic());
    }

    @Test
    void shouldApplyDefaultsForAbsentSections() {
        assertEquals(Policy.defaults(), PolicyParser.parse("version: 1\n"));
    }

    @Test
    void shouldTreatEmptySectionsAsAbsent() {
        Policy policy = PolicyParser.parse("version: 1\ndefaults:\ningress:\n  ip_allowlist:\ntasks:\n  echo.run:\n");

        assertEquals(Policy.DEFAULT_RATE_LIMIT, policy.defaultRateLimit());
        assertTrue(policy.ingress().ipAllowlist().entries().isEmpty());
        assertEquals(List.of(new TaskRule("echo.run", null, List.of(), List.of(), null, false, null, false)), policy.tasks());
    }

    @Test
    void shouldParseItsOwnDefaultDocumentToTheDefaults() {
        assertEquals(Policy.defaults(), PolicyParser.parse(PolicyParser.defaultDocument()));
    }

    @Test
    void shouldAcceptEveryRateLimitUnitSpelling() {
        for (String text : List.of("5/s", "5/second", "5/seconds", "5 / SECOND")) {
            assertEquals(new RateLimit(5, Duration.ofSeconds(1)), RateLimit.parse(text), text);
        }
        assertEquals(new RateLimit(5, Duration.ofMinutes(1)), RateLimit.parse("5/minutes"));
        assertEquals(new RateLimit(5, Duration.ofHours(1)), RateLimit.parse("5/h"));
        assertEquals(new RateLimit(5, Duration.ofDays(1)), RateLimit.parse("5/days"));
        assertEquals("5/day", RateLimit.parse("5/d").toString());
    }

    @Test
    void shouldAcceptEveryAddressPatternForm() {
        Policy policy = PolicyParser.parse("""
                version: 1
                ingress:
                  ip_allowlist: [10.0.0.0/8, 192.168.1.7, "192.168.*", "10.*", "::1", "fd00::/8", "2001:db8::1", 0.0.0.0/0]
                """);

        assertEquals(8, policy.ingress().ipAllowlist().entries().size());
    }

    @Test
    void shouldNameFieldAndLineOfABadRateLimit() {
        PolicyException e = assertThrows(PolicyException.class, () -> PolicyParser.parse("""
                version: 1
                defaults:
                  rate_limit: 600/minute
                ingress:
                  per_ip_rate_limit: 6000/minute
                tasks:
                  serpapi.search:
                    rate_limit: x
                """));

        assertEquals("tasks.serpapi.search.rate_limit: expected N/unit such as 100/hour, got 'x' (line 8)", e.getMessage());
        assertEquals("tasks.serpapi.search.rate_limit", e.field());
        assertEquals(8, e.line());
    }

    @Test
    void shouldRejectAZeroRateLimit() {
        PolicyException e = assertThrows(PolicyException.class,
                () -> PolicyParser.parse("version: 1\ndefaults:\n  rate_limit: 0/minute\n"));

        assertEquals("defaults.rate_limit", e.field());
        assertEquals(3, e.line());
    }

    @Test
    void shouldRejectAMissingRateLimitValueOnItsLine() {
        PolicyException e = assertThrows(PolicyException.class,
                () -> PolicyParser.parse("version: 1\ndefaults:\n  rate_limit:\ntasks: {}\n"));

        assertEquals("defaults.rate_limit: expected a value, got nothing (line 3)", e.getMessage());
    }

    @Test
    void shouldRejectAnUnknownKeyNamingIt() {
        PolicyException e = assertThrows(PolicyException.class, () -> PolicyParser.parse("""
                version: 1
                tasks:
                  echo.*:
                    ratelimit: 5/minute
                """));

        assertEquals("tasks.echo.*.ratelimit", e.field());
        assertEquals(4, e.line());
        assertTrue(e.getMessage().contains("unknown key"), e.getMessage());
    }

    @Test
    void shouldRejectAnUnknownTopLevelKey() {
        PolicyException e = assertThrows(PolicyException.class, () -> PolicyParser.parse("version: 1\ntask:\n  echo.run: {}\n"));

        assertEquals("task", e.field());
        assertEquals(2, e.line());
    }

    @Test
    void shouldRejectAMissingOrWrongVersion() {
        assertEquals("version", assertThrows(PolicyException.class, () -> PolicyParser.parse("tasks: {}\n")).field());

        PolicyException wrong = assertThrows(PolicyException.class, () -> PolicyParser.parse("# policy\nversion: 2\n"));
        assertEquals("version: expected 1, got '2' (line 2)", wrong.getMessage());
    }

    @Test
    void shouldRejectWrongTypes() {
        assertEquals("ingress.ip_allowlist: expected a list, got '10.0.0.0/8' (line 3)", assertThrows(PolicyException.class,
                () -> PolicyParser.parse("version: 1\ningress:\n  ip_allowlist: 10.0.0.0/8\n")).getMessage());
        assertEquals("tasks: expected a map, got a list (line 2)", assertThrows(PolicyException.class,
                () -> PolicyParser.parse("version: 1\ntasks: [echo.run]\n")).getMessage());
        assertEquals("tasks.public.*.public: expected true or false, got 'maybe' (line 4)", assertThrows(PolicyException.class,
                () -> PolicyParser.parse("version: 1\ntasks:\n  public.*:\n    public: maybe\n")).getMessage());
        assertEquals("tasks.echo.run.allowed_agents[1]: expected a value, got a map (line 3)", assertThrows(PolicyException.class,
                () -> PolicyParser.parse("version: 1\ntasks:\n  echo.run: {allowed_agents: [bot, {name: x}]}\n")).getMessage());
    }

    @Test
    void shouldRejectABadAddressPatternNamingItsIndex() {
        PolicyException e = assertThrows(PolicyException.class, () -> PolicyParser.parse("""
                version: 1
                ingress:
                  ip_allowlist:
                    - 10.0.0.0/8
                    - 10.0.0.300
                """));

        assertEquals("ingress.ip_allowlist[1]", e.field());
        assertEquals(5, e.line());
    }

    @Test
    void shouldRejectAnIpv4MappedBlockTheEdgeCouldNotApplyNamingTheField() {
        PolicyException e = assertThrows(PolicyException.class, () -> PolicyParser.parse("""
                version: 1
                ingress:
                  ip_allowlist: ["::ffff:10.0.0.1/24", 127.0.0.1]
                """));

        assertEquals("ingress.ip_allowlist[0]", e.field());
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("96 to 128"), e.getMessage());
    }

    @Test
    void shouldCompileEveryEntryItAcceptsIntoWhatTheEdgeApplies() throws Exception {
        IpAllowlist allowlist = PolicyParser.parse("""
                version: 1
                ingress:
                  ip_allowlist: [10.0.0.0/8, "192.168.*", 127.0.0.1, "::1", "fd00::/8", "::ffff:172.16.0.0/108"]
                """).ingress().ipAllowlist();

        assertTrue(allowlist.allows(InetAddress.getByName("fd12::1")));
        assertTrue(allowlist.allows(InetAddress.getByName("192.168.0.1")));
        assertTrue(allowlist.allows(InetAddress.getByName("172.16.9.9")));
        assertFalse(allowlist.allows(InetAddress.getByName("172.32.0.1")));
    }

    @Test
    void shouldRejectAddressPatternsThatAreNotAddresses() {
        for (String bad : List.of("10.0.0.0/33", "example.com", "192.168.*.1", "::1/129", "*", "fe80::1%eth0")) {
            assertThrows(PolicyException.class,
                    () -> PolicyParser.parse("version: 1\ningress:\n  ip_allowlist: [\"" + bad + "\"]\n"), bad);
        }
    }

    @Test
    void shouldRejectBadTaskRuleValues() {
        assertEquals("tasks.Echo Run", assertThrows(PolicyException.class,
                () -> PolicyParser.parse("version: 1\ntasks:\n  Echo Run: {}\n")).field());
        assertEquals("tasks.users.*.route", assertThrows(PolicyException.class,
                () -> PolicyParser.parse("version: 1\ntasks:\n  users.*: {route: ftp://host/x}\n")).field());
        assertEquals("tasks.users.*.route", assertThrows(PolicyException.class,
                () -> PolicyParser.parse("version: 1\ntasks:\n  users.*: {route: /relative}\n")).field());
        assertEquals("tasks.users.*.route_secret", assertThrows(PolicyException.class,
                () -> PolicyParser.parse("version: 1\ntasks:\n  users.*: {route: http://h:1, route_secret: Not-A-Name}\n")).field());
        assertEquals("users_backend", PolicyParser.parse("version: 1\ntasks:\n  users.*: {route: http://h:1, route_secret: users_backend}\n")
                .ruleFor("users.create").orElseThrow().routeSecret());
        assertEquals("tasks.llm.*.pool", assertThrows(PolicyException.class,
                () -> PolicyParser.parse("version: 1\ntasks:\n  llm.*: {pool: a.b}\n")).field());
        assertEquals("tasks.http_fetch.*.blocked_domains[0]", assertThrows(PolicyException.class,
                () -> PolicyParser.parse("version: 1\ntasks:\n  http_fetch.*: {blocked_domains: [\"corp.*\"]}\n")).field());
    }

    @Test
    void shouldRejectAPatternGivenTwice() {
        PolicyException e = assertThrows(PolicyException.class,
                () -> PolicyParser.parse("version: 1\ntasks:\n  echo.*: {}\n  echo.*: {pool: x}\n"));

        assertEquals("tasks.echo.*", e.field());
        assertEquals(4, e.line());
    }

    @Test
    void shouldReportSyntaxErrorsWithTheirLine() {
        PolicyException e = assertThrows(PolicyException.class, () -> PolicyParser.parse("version: 1\ntasks:\n  echo.run: [unclosed\n"));

        assertEquals("", e.field());
        assertTrue(e.getMessage().startsWith("not valid YAML or JSON"), e.getMessage());
        assertTrue(e.line() >= 3, e.getMessage());
    }

    /** Found by PolicyParsingFuzzTest: SnakeYAML threw IllegalArgumentException, which escaped as a 500. */
    @Test
    void shouldRejectAMalformedTagAsInvalidYaml() {
        PolicyException e = assertThrows(PolicyException.class, () -> PolicyParser.parse("!:aa:%0"));

        assertTrue(e.getMessage().startsWith("not valid YAML or JSON"), e.getMessage());
        assertEquals(1, e.line());
    }

    @Test
    void shouldRejectAnEmptyDocument() {
        assertEquals(1, assertThrows(PolicyException.class, () -> PolicyParser.parse("  \n# nothing\n")).line());
        assertThrows(PolicyException.class, () -> PolicyParser.parse("just text"));
    }

    @Test
    void shouldPreferExactThenLongestPrefixThenCatchAll() {
        Policy policy = PolicyParser.parse("""
                version: 1
                tasks:
                  "*": {pool: any}
                  internal.*: {pool: internal}
                  internal.cache.*: {pool: cache}
                  internal.cache.clear: {pool: exact}
                """);

        assertEquals("exact", policy.ruleFor("internal.cache.clear").orElseThrow().pool());
        assertEquals("cache", policy.ruleFor("internal.cache.get").orElseThrow().pool());
        assertEquals("internal", policy.ruleFor("internal.db.get").orElseThrow().pool());
        assertEquals("any", policy.ruleFor("echo.run").orElseThrow().pool());
        assertNull(policy.ruleFor("echo.run").orElseThrow().rateLimit());
        assertEquals(Policy.DEFAULT_RATE_LIMIT, policy.rateLimitFor("echo.run"));
    }
}
