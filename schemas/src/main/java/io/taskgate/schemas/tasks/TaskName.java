package io.taskgate.schemas.tasks;

import java.util.regex.Pattern;

/**
 * A dotted task name. Its action is the last segment and its tool everything before:
 * {@code serpapi.search} is tool {@code serpapi}, action {@code search};
 * {@code internal.cache.clear} is tool {@code internal.cache}, action {@code clear}.
 */
public record TaskName(String tool, String action) {
    private static final Pattern VALID = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)+");
    public static final int MAX_LENGTH = 128;

    public static boolean isValid(String name) {
        return name != null && name.length() <= MAX_LENGTH && VALID.matcher(name).matches();
    }

    public static TaskName parse(String name) {
        if (!isValid(name)) {
            throw new IllegalArgumentException("a task name is lower-case dotted segments such as 'echo.run'");
        }
        int dot = name.lastIndexOf('.');
        return new TaskName(name.substring(0, dot), name.substring(dot + 1));
    }

    @Override
    public String toString() {
        return tool + "." + action;
    }
}
