package io.taskgate.ingress.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.ingress.http.ApiException;
import io.taskgate.schemas.errors.ErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/** Reads the fields of admin request bodies; a bad field is a 400 that names it. */
final class RequestFields {
    /** A tool is a dotted name ({@code serpapi}, {@code internal.cache}) or {@code *}. */
    static final Pattern TOOL = Pattern.compile("\\*|[a-z0-9_-]+(\\.[a-z0-9_-]+)*");
    /** An action is one segment ({@code search}) or {@code *}. */
    static final Pattern ACTION = Pattern.compile("\\*|[a-z0-9_-]+");
    private static final int MAX_ENTRIES = 100;
    private static final int MAX_ENTRY_LENGTH = 128;

    private RequestFields() {
    }

    static JsonNode object(JsonNode body) {
        if (!body.isObject()) {
            throw bad("the body must be a JSON object");
        }
        return body;
    }

    static Optional<String> text(JsonNode body, String field, int maxLength) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw bad(field + " must be a string");
        }
        if (node.asText().length() > maxLength) {
            throw bad(field + " must be at most " + maxLength + " characters");
        }
        return Optional.of(node.asText());
    }

    /** The distinct entries of a string array, in order; empty when the field is absent. */
    static Optional<List<String>> names(JsonNode body, String field, Pattern pattern) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isArray()) {
            throw bad(field + " must be an array of strings");
        }
        if (node.size() > MAX_ENTRIES) {
            throw bad(field + " has more than " + MAX_ENTRIES + " entries");
        }
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode entry = node.get(i);
            if (!entry.isTextual() || entry.asText().length() > MAX_ENTRY_LENGTH || !pattern.matcher(entry.asText()).matches()) {
                throw bad(field + "[" + i + "] must match " + pattern.pattern());
            }
            names.add(entry.asText());
        }
        return Optional.of(new ArrayList<>(names));
    }

    static OptionalLong wholeNumber(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return OptionalLong.empty();
        }
        if (!node.canConvertToLong() || !node.isIntegralNumber()) {
            throw bad(field + " must be a whole number");
        }
        return OptionalLong.of(node.asLong());
    }

    static ApiException bad(String message) {
        return new ApiException(ErrorCode.BAD_REQUEST, message);
    }
}
