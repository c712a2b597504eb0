package io.taskgate.schemas.policy;

import io.taskgate.schemas.tasks.TaskName;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

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
        Map<String, Field> top = root(document).mapping(TOP_KEYS);
        Field version = top.get("version");
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

    private static Field root(String document) {
        Node node;
        try {
            node = new Yaml().compose(new StringReader(untabbedJson(document == null ? "" : document)));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new PolicyException("", mark == null ? 1 : mark.getLine() + 1, "not valid YAML or JSON: " + e.getProblem());
        } catch (YAMLException e) {
            throw new PolicyException("", 1, "not valid YAML or JSON: " + e.getMessage());
        } catch (RuntimeException e) {
            // SnakeYAML reports some malformed documents with other exceptions: a tag such as
            // "!:aa:%0" ends in an IllegalArgumentException (found by PolicyParsingFuzzTest). The
            // document comes from an admin's request, so whatever the library throws is theirs to fix.
            throw new PolicyException("", 1, "not valid YAML or JSON: " + e.getMessage());
        }
        if (node == null) {
            throw new PolicyException("", 1, "the document is empty; expected a map starting with 'version: 1'");
        }
        return new Field("", node);
    }

    /**
     * SnakeYAML refuses tabs where JSON allows them as whitespace. Valid JSON has no raw tab inside
     * a string (it must be escaped), so in a JSON document every tab is whitespace and a space
     * reads the same, on the same line.
     */
    private static String untabbedJson(String document) {
        return document.stripLeading().startsWith("{") ? document.replace('\t', ' ') : document;
    }

    private static RateLimit rateLimitIn(Field section, RateLimit absent) {
        if (section == null) {
            return absent;
        }
        Field rateLimit = section.mapping(RATE_LIMIT_KEYS).get("rate_limit");
        return rateLimit == null ? absent : rateLimit(rateLimit);
    }

    private static IngressRules ingress(Field section) {
        if (section == null) {
            return new IngressRules(IpAllowlist.everyone(), Policy.DEFAULT_PER_IP_RATE_LIMIT);
        }
        Map<String, Field> fields = section.mapping(INGRESS_KEYS);
        IpAllowlist allowlist = ipAllowlist(fields.get("ip_allowlist"));
        Field perIp = fields.get("per_ip_rate_limit");
        return new IngressRules(allowlist, perIp == null ? Policy.DEFAULT_PER_IP_RATE_LIMIT : rateLimit(perIp));
    }

    private static TaskRule rule(Field patternKey, Field rule) {
        String pattern = patternKey.text();
        if (!pattern.equals("*") && !PREFIX_PATTERN.matcher(pattern).matches() && !TaskName.isValid(pattern)) {
            throw patternKey.error("expected a task name (echo.run), a prefix (http_fetch.*) or *, got '" + pattern + "'");
        }
        Map<String, Field> fields = rule.mapping(RULE_KEYS);
        Field rateLimit = fields.get("rate_limit");
        Field isPublic = fields.get("public");
        Field internal = fields.get("internal");
        boolean publicRule = isPublic != null && isPublic.bool();
        boolean internalRule = internal != null && internal.bool();
        if (publicRule && internalRule) {
            throw internal.error("a task cannot be both public (anyone) and internal (service keys only)");
        }
        return new TaskRule(
                pattern,
                rateLimit == null ? null : rateLimit(rateLimit),
                list(fields.get("allowed_agents"), Field::text),
                list(fields.get("blocked_domains"), PolicyParser::domain),
                fields.containsKey("route") ? route(fields.get("route")) : null,
                publicRule,
                fields.containsKey("pool") ? pool(fields.get("pool")) : null,
                internalRule,
                fields.containsKey("route_secret") ? routeSecret(fields.get("route_secret")) : null,
                fields.containsKey("health") ? health(fields.get("health")) : null);
    }

    private static String health(Field field) {
        String path = field.text();
        if (!path.startsWith("/") || path.startsWith("//") || path.chars().anyMatch(c -> c <= ' ')) {
            throw field.error("expected a path on the route such as /health, got '" + path + "'");
        }
        return path;
    }

    private static String routeSecret(Field field) {
        String name = field.text();
        if (!ROUTE_SECRET.matcher(name).matches()) {
            throw field.error("expected the name of a tool secret (lower-case letters, digits and '_'), got '" + name + "'");
        }
        return name;
    }

    private static <T> List<T> list(Field field, Function<Field, T> item) {
        return field == null ? List.of() : field.items().stream().map(item).toList();
    }

    private static RateLimit rateLimit(Field field) {
        try {
            return RateLimit.parse(field.text());
        } catch (IllegalArgumentException e) {
            throw field.error(e.getMessage());
        }
    }

    private static String pool(Field field) {
        String pool = field.text();
        if (!POOL.matcher(pool).matches()) {
            throw field.error("expected a pool name of letters, digits, '_' and '-', got '" + pool + "'");
        }
        return pool;
    }

    private static String route(Field field) {
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

    private static String domain(Field field) {
        String domain = field.text().toLowerCase(Locale.ROOT);
        if (!DOMAIN.matcher(domain).matches()) {
            throw field.error("expected a host name (internal.company.com) or a wildcard (*.corp), got '" + field.text() + "'");
        }
        return domain;
    }

    private static IpAllowlist ipAllowlist(Field field) {
        List<Field> items = field == null ? List.of() : field.items();
        try {
            return IpAllowlist.parse(items.stream().map(Field::text).toList());
        } catch (IpAllowlist.InvalidEntry e) {
            Field item = items.get(e.index());
            throw item.error("expected a CIDR (10.0.0.0/8), an address (127.0.0.1, ::1) or a wildcard (192.168.*), got '"
                    + item.text() + "': " + e.problem());
        }
    }

    /** A node of the document with the dotted path that led to it, for errors that name both. */
    private record Field(String path, Node node) {

        int line() {
            return node.getStartMark().getLine() + 1;
        }

        PolicyException error(String problem) {
            return new PolicyException(path, line(), problem);
        }

        boolean isNull() {
            return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
        }

        /** The fields of a map with only known keys; an empty or null value is an empty map. */
        Map<String, Field> mapping(Set<String> knownKeys) {
            Map<Field, Field> entries = entries();
            Map<String, Field> fields = new LinkedHashMap<>();
            entries.forEach((key, value) -> {
                if (!knownKeys.contains(key.text())) {
                    throw key.error("unknown key; expected one of " + String.join(", ", knownKeys.stream().sorted().toList()));
                }
                fields.put(key.text(), value);
            });
            return fields;
        }

        /** Key and value fields of a map in document order; a key given twice is an error. */
        Map<Field, Field> entries() {
            if (isNull()) {
                return Map.of();
            }
            if (!(node instanceof MappingNode mapping)) {
                throw error("expected a map, got " + describe());
            }
            Map<Field, Field> entries = new LinkedHashMap<>();
            Set<String> seen = new HashSet<>();
            for (NodeTuple tuple : mapping.getValue()) {
                Field key = new Field(path, tuple.getKeyNode());
                String name = key.text();
                Field named = new Field(path.isEmpty() ? name : path + "." + name, tuple.getKeyNode());
                if (!seen.add(name)) {
                    throw named.error("given twice");
                }
                entries.put(named, new Field(named.path, tuple.getValueNode()));
            }
            return entries;
        }

        /** The items of a list; an empty or null value is an empty list. */
        List<Field> items() {
            if (isNull()) {
                return List.of();
            }
            if (!(node instanceof SequenceNode sequence)) {
                throw error("expected a list, got " + describe());
            }
            List<Field> items = new ArrayList<>();
            for (int i = 0; i < sequence.getValue().size(); i++) {
                items.add(new Field(path + "[" + i + "]", sequence.getValue().get(i)));
            }
            return items;
        }

        /** The text of a scalar that must be present. */
        String text() {
            if (!(node instanceof ScalarNode scalar) || isNull() || scalar.getValue().isBlank()) {
                throw error("expected a value, got " + describe());
            }
            return scalar.getValue().trim();
        }

        /** A YAML boolean; the quoted text "true" or "false" is taken too, as it reads the same. */
        boolean bool() {
            String value = node instanceof ScalarNode scalar ? scalar.getValue().toLowerCase(Locale.ROOT) : "";
            boolean yamlBool = node.getTag().equals(Tag.BOOL);
            if (value.equals("true") || yamlBool && (value.equals("yes") || value.equals("on"))) {
                return true;
            }
            if (value.equals("false") || yamlBool && (value.equals("no") || value.equals("off"))) {
                return false;
            }
            throw error("expected true or false, got " + describe());
        }

        String describe() {
            if (node instanceof MappingNode) {
                return "a map";
            }
            if (node instanceof SequenceNode) {
                return "a list";
            }
            return isNull() ? "nothing" : "'" + ((ScalarNode) node).getValue() + "'";
        }
    }
}
