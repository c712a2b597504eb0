package io.taskgate.schemas.workflows;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code ${...}} in a step's input: {@code ${input.a.b}} reads the run's input,
 * {@code ${steps.fetch.result.body}} the result of step {@code fetch}. A path segment that is a
 * whole number indexes a list.
 */
public record Placeholder(String expression, Optional<String> step, List<String> path) {
    static final Pattern PATTERN = Pattern.compile("\\$\\{([^}]*)}");
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-]+");

    /** Every placeholder in a text, in order. */
    public static List<String> expressionsIn(String text) {
        List<String> found = new ArrayList<>();
        Matcher matcher = PATTERN.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    /**
     * @throws IllegalArgumentException saying what a placeholder may look like
     */
    public static Placeholder parse(String expression) {
        String[] parts = expression.trim().split("\\.", -1);
        for (String part : parts) {
            if (!SEGMENT.matcher(part).matches()) {
                throw bad(expression);
            }
        }
        if (parts[0].equals("input")) {
            return new Placeholder(expression, Optional.empty(), List.of(parts).subList(1, parts.length));
        }
        if (parts[0].equals("steps") && parts.length >= 3 && parts[2].equals("result")) {
            return new Placeholder(expression, Optional.of(parts[1]), List.of(parts).subList(3, parts.length));
        }
        throw bad(expression);
    }

    private static IllegalArgumentException bad(String expression) {
        return new IllegalArgumentException("'${" + expression + "}' is not a reference; use ${input.<path>} or ${steps.<id>.result.<path>}");
    }
}
