package io.taskgate.webhooks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a webhook is tried again: the first attempt goes out as soon as the task ends, and each
 * failed attempt is followed by the next delay of the list until it runs out. The default is
 * Svix's: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, so eight attempts over about 27 hours.
 */
public record RetrySchedule(List<Duration> delays) {
    public static final String DEFAULT = "5s,5m,30m,2h,5h,10h,10h";
    private static final Pattern DELAY = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    public RetrySchedule {
        delays = List.copyOf(delays);
        if (delays.stream().anyMatch(delay -> delay.isNegative() || delay.isZero())) {
            throw new IllegalArgumentException("every delay must be positive");
        }
    }

    /** A comma list of delays such as {@code 5s,5m,30m,2h} (units ms, s, m, h); empty for no retries. */
    public static RetrySchedule parse(String text) {
        List<Duration> delays = new ArrayList<>();
        for (String part : text.split(",")) {
            String trimmed = part.trim().toLowerCase(Locale.ROOT);
            if (trimmed.isEmpty()) {
                continue;
            }
            Matcher matcher = DELAY.matcher(trimmed);
            if (!matcher.matches()) {
                throw new IllegalArgumentException("'" + part.trim() + "' is not a delay such as 500ms, 5s, 5m or 2h");
            }
            long amount = Long.parseLong(matcher.group(1));
            delays.add(switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            });
        }
        return new RetrySchedule(delays);
    }

    /** How long to wait after the {@code attemptsMade}-th failed attempt of a round, or empty when that was the last. */
    public Optional<Duration> delayAfter(int attemptsMade) {
        return attemptsMade >= 1 && attemptsMade <= delays.size() ? Optional.of(delays.get(attemptsMade - 1)) : Optional.empty();
    }
}
