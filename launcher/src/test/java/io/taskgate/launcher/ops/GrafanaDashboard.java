package io.taskgate.launcher.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.schemas.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The PromQL of a Grafana dashboard's panels, and the metric names it reads. */
final class GrafanaDashboard {
    private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPINGS = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern VARIABLES = Pattern.compile("\\$\\{?\\w+}?");
    private static final Pattern STRINGS = Pattern.compile("\"[^\"]*\"");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring",
            "group_left", "group_right", "inf", "nan");

    private final JsonNode dashboard;

    private GrafanaDashboard(JsonNode dashboard) {
        this.dashboard = dashboard;
    }

    static GrafanaDashboard read(Path file) throws IOException {
        return new GrafanaDashboard(Json.mapper().readTree(file.toFile()));
    }

    /** Every {@code expr} in every panel (rows' panels too). */
    Set<String> expressions() {
        Set<String> found = new TreeSet<>();
        dashboard.findValues("expr").forEach(expr -> found.add(expr.asText()));
        return found;
    }

    /** The series names the expressions select: identifiers that are not functions, keywords, labels or durations. */
    Set<String> metricNames() {
        Set<String> names = new TreeSet<>();
        for (String expr : expressions()) {
            String bare = STRINGS.matcher(expr).replaceAll(" ");
            bare = LABEL_MATCHERS.matcher(bare).replaceAll(" ");
            bare = RANGES.matcher(bare).replaceAll(" ");
            bare = GROUPINGS.matcher(bare).replaceAll(" ");
            bare = VARIABLES.matcher(bare).replaceAll(" ");
            Matcher identifier = IDENTIFIER.matcher(bare);
            while (identifier.find()) {
                String name = identifier.group();
                boolean function = bare.substring(identifier.end()).stripLeading().startsWith("(");
                if (!function && !KEYWORDS.contains(name.toLowerCase()) && !Character.isDigit(bare.charAt(Math.max(0, identifier.start() - 1)))) {
                    names.add(name);
                }
            }
        }
        return names;
    }
}
