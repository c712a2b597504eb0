package io.taskgate.schemas.policy;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A sliding-window limit such as {@code 600/minute}: at most {@code limit} events per {@code window}. */
public record RateLimit(long limit, Duration window) {
    private static final Pattern TEXT = Pattern.compile("(\\d{1,18})\\s*/\\s*([A-Za-z]+)");
    private static final Map<String, Duration> UNITS = Map.ofEntries(
            Map.entry("s", Duration.ofSeconds(1)), Map.entry("second", Duration.ofSeconds(1)), Map.entry("seconds", Duration.ofSeconds(1)),
            Map.entry("m", Duration.ofMinutes(1)), Map.entry("minute", Duration.ofMinutes(1)), Map.entry("minutes", Duration.ofMinutes(1)),
            Map.entry("h", Duration.ofHours(1)), Map.entry("hour", Duration.ofHours(1)), Map.entry("hours", Duration.ofHours(1)),
            Map.entry("d", Duration.ofDays(1)), Map.entry("day", Duration.ofDays(1)), Map.entry("days", Duration.ofDays(1)));
    private static final Map<Duration, String> UNIT_NAMES = Map.of(
            Duration.ofSeconds(1), "second", Duration.ofMinutes(1), "minute", Duration.ofHours(1), "hour", Duration.ofDays(1), "day");

    public RateLimit {
        Objects.requireNonNull(window, "window");
        if (limit < 1) {
            throw new IllegalArgumentException("a rate limit allows at least 1 event");
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a rate limit window is positive");
        }
    }

    /**
     * Reads {@code N/unit}: unit {@code second}, {@code minute}, {@code hour} or {@code day}, also
     * plural or abbreviated to {@code s}, {@code m}, {@code h}, {@code d}.
     *
     * @throws IllegalArgumentException naming what was expected and what was found
     */
    public static RateLimit parse(String text) {
        Matcher matcher = TEXT.matcher(text == null ? "" : text.trim());
        Duration window = matcher.matches() ? UNITS.get(matcher.group(2).toLowerCase(Locale.ROOT)) : null;
        if (window == null) {
            throw new IllegalArgumentException("expected N/unit such as 100/hour, got '" + text + "'");
        }
        long limit = Long.parseLong(matcher.group(1));
        if (limit < 1) {
            throw new IllegalArgumentException("expected at least 1 per " + UNIT_NAMES.get(window) + ", got '" + text + "'");
        }
        return new RateLimit(limit, window);
    }

    /** {@code 600/minute} for the windows {@link #parse} reads; other windows as an ISO duration. */
    @Override
    public String toString() {
        return limit + "/" + UNIT_NAMES.getOrDefault(window, window.toString());
    }
}
