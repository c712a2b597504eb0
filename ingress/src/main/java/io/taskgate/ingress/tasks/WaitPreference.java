package io.taskgate.ingress.tasks;

import io.taskgate.ingress.http.ApiException;
import io.taskgate.schemas.errors.ErrorCode;
import io.undertow.util.HttpString;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;

/**
 * How long a caller asked to hold a response: {@code Prefer: wait=N} on {@code POST} (RFC 7240) or
 * {@code ?wait=N} on {@code GET}, in whole seconds, at most {@link #MAX}.
 */
public final class WaitPreference {
    public static final HttpString PREFER = new HttpString("Prefer");
    static final Duration MAX = Duration.ofSeconds(30);

    private WaitPreference() {
    }

    /**
     * The {@code wait} preference among all {@code Prefer} header values; a preference the server
     * cannot read is ignored, as RFC 7240 asks, so this never fails the request.
     */
    public static Duration fromPrefer(Collection<String> headerValues) {
        if (headerValues == null) {
            return Duration.ZERO;
        }
        for (String value : headerValues) {
            for (String preference : value.split(",")) {
                String token = preference.split(";", 2)[0].trim();
                int equals = token.indexOf('=');
                if (equals > 0 && token.substring(0, equals).trim().toLowerCase(Locale.ROOT).equals("wait")) {
                    long seconds = seconds(unquote(token.substring(equals + 1).trim()));
                    if (seconds > 0) {
                        return clamp(seconds);
                    }
                }
            }
        }
        return Duration.ZERO;
    }

    /** The {@code wait} query parameter; unlike a preference, a bad one is the caller's error (400). */
    public static Duration fromQuery(Collection<String> values) {
        if (values == null || values.isEmpty()) {
            return Duration.ZERO;
        }
        long seconds = values.size() == 1 ? seconds(values.iterator().next().trim()) : -1;
        if (seconds < 0) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "wait must be a whole number of seconds, at most " + MAX.toSeconds());
        }
        return clamp(seconds);
    }

    private static Duration clamp(long seconds) {
        return Duration.ofSeconds(Math.min(seconds, MAX.toSeconds()));
    }

    /** The number of seconds, or -1 when the text is not a non-negative whole number. */
    private static long seconds(String text) {
        if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(text);
    }

    private static String unquote(String text) {
        return text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"") ? text.substring(1, text.length() - 1) : text;
    }
}
