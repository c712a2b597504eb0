package io.taskgate.audit.query;

import io.taskgate.audit.store.AuditQuery;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Deque;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads {@code ?agent_id=&task_id=&type=&since=&until=&limit=} into an {@link AuditQuery}.
 * {@code since} and {@code until} are ISO-8601 instants ({@code 2025-01-31T12:00:00Z}, an offset
 * instead of {@code Z} is fine) or dates (midnight UTC); {@code limit} defaults to
 * {@value AuditQuery#DEFAULT_LIMIT} and larger values are capped at {@value AuditQuery#MAX_LIMIT}.
 * A malformed value is an {@link IllegalArgumentException} whose message names the parameter.
 */
final class QueryParameters {
    private static final Pattern ACTION = Pattern.compile("[a-z0-9_]+(\\.[a-z0-9_]+)*");
    private static final int MAX_ID_LENGTH = 256;

    private QueryParameters() {
    }

    static AuditQuery parse(Map<String, Deque<String>> parameters) {
        String type = first(parameters, "type");
        if (type != null && !ACTION.matcher(type).matches()) {
            throw new IllegalArgumentException("type must be an audit action such as task.succeeded");
        }
        Instant since = instant(parameters, "since");
        Instant until = instant(parameters, "until");
        if (since != null && until != null && !since.isBefore(until)) {
            throw new IllegalArgumentException("since must be before until");
        }
        return new AuditQuery(id(parameters, "agent_id"), id(parameters, "task_id"), type, since, until, limit(parameters));
    }

    private static String id(Map<String, Deque<String>> parameters, String name) {
        String value = first(parameters, name);
        if (value != null && value.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException(name + " is longer than " + MAX_ID_LENGTH + " characters");
        }
        return value;
    }

    private static Instant instant(Map<String, Deque<String>> parameters, String name) {
        String value = first(parameters, name);
        if (value == null) {
            return null;
        }
        try {
            return value.length() == "2025-01-31".length()
                    ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 instant such as 2025-01-31T12:00:00Z, got '"
                    + value + "'");
        }
    }

    private static int limit(Map<String, Deque<String>> parameters) {
        String value = first(parameters, "limit");
        if (value == null) {
            return AuditQuery.DEFAULT_LIMIT;
        }
        try {
            long limit = Long.parseLong(value);
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be at least 1, got " + limit);
            }
            return (int) Math.min(limit, AuditQuery.MAX_LIMIT);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("limit must be a whole number, got '" + value + "'");
        }
    }

    private static String first(Map<String, Deque<String>> parameters, String name) {
        Deque<String> values = parameters.get(name);
        if (values == null || values.isEmpty() || values.peekFirst().isBlank()) {
            return null;
        }
        return values.peekFirst().trim();
    }
}
