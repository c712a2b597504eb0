package io.taskgate.schemas.policy;

import io.taskgate.schemas.tasks.TaskName;
import io.taskgate.schemas.yaml.YamlField;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads a policy document (YAML, or JSON, which is YAML) into a {@link Policy}, strictly: an
 * unknown key, a wrong type or a bad value is a {@link PolicyException} naming the field and the
 * line, so a typo never silently widens what agents may do. The document is parsed to YAML nodes,
 * not bound to objects, because only the nodes know their line.
 */
public final class PolicyParser {
    private static final Set<String> TOP_KEYS = Set.of("version", "defaults", "global", "ingress", "tasks");
    private static final Set<String> RATE_LIMIT_KEYS = Set.of("rate_limit");
    private static final Set<String> INGRESS_KEYS = Set.of("ip_allowlist", "per_ip_rate_limit");
    private static final Set<String> RULE_KEYS = Set.of("rate_limit", "allowed_agents", "blocked_domains", "route", "route_secret",
            "health", "public", "internal", "pool");

    private static final Pattern PREFIX_PATTERN = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*\\.\\*");
    private static final Pattern POOL = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern ROUTE_SECRET = Pattern.compile("[a-z0-9_]{1,64}");
    private static final Pattern DOMAIN = Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

    private PolicyParser() {
    }

    /**
     * @throws PolicyException naming the field and line of the first problem found
     */
    public static Policy parse(String document) {
        Map<String, YamlField> top = root(document).mapping(TOP_KEYS);
        YamlField version = top.get("version");
        if (version == null) {
            throw new PolicyException("version", 1, "missing; the document starts with 'version: 1'");
        }
        if (!version.text().equals("1")) {
            throw version.error("expected 1, got " + version.describe());
        }
        RateLimit defaultRateLimit = rateLimitIn(top.get("defaults"), Policy.DEFAULT_RATE_LIMIT);
        RateLimit globalRateLimit = rateLimitIn(top.get("global"), null);
        IngressRules ingress = ingress(top.get("ingress"));
        List<TaskRule> tasks = new ArrayList<>();
        if (top.containsKey("tasks")) {
            top.get("tasks").entries().forEach((pattern, rule) -> tasks.add(rule(pattern, rule)));
        }
        return new Policy(1, defaultRateLimit, globalRateLimit, ingress, tasks);
    }

    /** The policy of {@link Policy#defaults()} as a commented document, a starting point to edit. */
    public static String defaultDocument() {
        return """
                # Taskgate policy. Apply it with PUT /api/policy, or name it in TASKGATE_POLICY_FILE.
                version: 1
                defaults:
                  # Per agent and task pattern, over a sliding window: N/second, N/minute, N/hour or N/day.
                  rate_limit: 600/minute
                ingress:
                  # Client addresses that may connect: CIDRs (10.0.0.0/8), exact addresses or
                  # wildcards ("192.168.*"). Empty allows every address. A list that would refuse
                  # the address you PUT it from is refused unless you add ?force=true.
                  ip_allowlist: []
                  per_ip_rate_limit: 6000/minute
                # Rules by task pattern: an exact name (serpapi.search), a prefix (http_fetch.*) or *.
                # An exact name wins over a prefix, a longer prefix over a shorter one.
                tasks: {}
                #  serpapi.search:
                #    rate_limit: 100/hour
                #    allowed_agents: [research-bot]      # agent names or ids
                #  http_fetch.*:
                #    blocked_domains: [internal.company.com, "*.corp"]
                #  users.*:
                #    route: http://127.0.0.1:9000         # forward the task to a backend service
                #  public.*:
                #    public: true                         # no token needed
                #  internal.*:
                #    internal: true                       # only service API keys may call these
                #  openai.*:
                #    pool: llm                            # run on the workers of pool 'llm'
                """;
    }

    private static YamlField root(String document) {
        return YamlField.root(document, PolicyException::new, "the document is empty; expected a map starting with 'version: 1'");
    }

    private static RateLimit rateLimitIn(YamlField section, RateLimit absent) {
        if (section == null) {
            return absent;
        }
        YamlField rateLimit = section.mapping(RATE_LIMIT_KEYS).get("rate_limit");
        return rateLimit == null ? absent : rateLimit(rateLimit);
    }

    private static IngressRules ingress(YamlField section) {
        if (section == null) {
            return new IngressRules(IpAllowlist.everyone(), Policy.DEFAULT_PER_IP_RATE_LIMIT);
        }
        Map<String, YamlField> fields = section.mapping(INGRESS_KEYS);
        IpAllowlist allowlist = ipAllowlist(fields.get("ip_allowlist"));
        YamlField perIp = fields.get("per_ip_rate_limit");
        return new IngressRules(allowlist, perIp == null ? Policy.DEFAULT_PER_IP_RATE_LIMIT : rateLimit(perIp));
    }

    private static TaskRule rule(YamlField patternKey, YamlField rule) {
        String pattern = patternKey.text();
        if (!pattern.equals("*") && !PREFIX_PATTERN.matcher(pattern).matches() && !TaskName.isValid(pattern)) {
            throw patternKey.error("expected a task name (echo.run), a prefix (http_fetch.*) or *, got '" + pattern + "'");
        }
        Map<String, YamlField> fields = rule.mapping(RULE_KEYS);
        YamlField rateLimit = fields.get("rate_limit");
        YamlField isPublic = fields.get("public");
        YamlField internal = fields.get("internal");
        boolean publicRule = isPublic != null && isPublic.bool();
        boolean internalRule = internal != null && internal.bool();
        if (publicRule && internalRule) {
            throw internal.error("a task cannot be both public (anyone) and internal (service keys only)");
        }
        return new TaskRule(
                pattern,
                rateLimit == null ? null : rateLimit(rateLimit),
                list(fields.get("allowed_agents"), YamlField::text),
                list(fields.get("blocked_domains"), PolicyParser::domain),
                fields.containsKey("route") ? route(fields.get("route")) : null,
                publicRule,
                fields.containsKey("pool") ? pool(fields.get("pool")) : null,
                internalRule,
                fields.containsKey("route_secret") ? routeSecret(fields.get("route_secret")) : null,
                fields.containsKey("health") ? health(fields.get("health")) : null);
    }

    private static String health(YamlField field) {
        String path = field.text();
        if (!path.startsWith("/") || path.startsWith("//") || path.chars().anyMatch(c -> c <= ' ')) {
            throw field.error("expected a path on the route such as /health, got '" + path + "'");
        }
        return path;
    }

    private static String routeSecret(YamlField field) {
        String name = field.text();
        if (!ROUTE_SECRET.matcher(name).matches()) {
            throw field.error("expected the name of a tool secret (lower-case letters, digits and '_'), got '" + name + "'");
        }
        return name;
    }

    private static <T> List<T> list(YamlField field, Function<YamlField, T> item) {
        return field == null ? List.of() : field.items().stream().map(item).toList();
    }

    private static RateLimit rateLimit(YamlField field) {
        try {
            return RateLimit.parse(field.text());
        } catch (IllegalArgumentException e) {
            throw field.error(e.getMessage());
        }
    }

    private static String pool(YamlField field) {
        String pool = field.text();
        if (!POOL.matcher(pool).matches()) {
            throw field.error("expected a pool name of letters, digits, '_' and '-', got '" + pool + "'");
        }
        return pool;
    }

    private static String route(YamlField field) {
        String route = field.text();
        try {
            URI uri = new URI(route);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return route;
            }
        } catch (URISyntaxException e) {
            // reported below, with the same message as any other URL that is not absolute http(s)
        }
        throw field.error("expected an absolute http or https URL, got '" + route + "'");
    }

    private static String domain(YamlField field) {
        String domain = field.text().toLowerCase(Locale.ROOT);
        if (!DOMAIN.matcher(domain).matches()) {
            throw field.error("expected a host name (internal.company.com) or a wildcard (*.corp), got '" + field.text() + "'");
        }
        return domain;
    }

    private static IpAllowlist ipAllowlist(YamlField field) {
        List<YamlField> items = field == null ? List.of() : field.items();
        try {
            return IpAllowlist.parse(items.stream().map(YamlField::text).toList());
        } catch (IpAllowlist.InvalidEntry e) {
            YamlField item = items.get(e.index());
            throw item.error("expected a CIDR (10.0.0.0/8), an address (127.0.0.1, ::1) or a wildcard (192.168.*), got '"
                    + item.text() + "': " + e.problem());
        }
    }
}
