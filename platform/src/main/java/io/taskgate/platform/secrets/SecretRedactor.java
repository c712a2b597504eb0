package io.taskgate.platform.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replaces every tool secret's value with {@code ****} in what a worker reports: an outside
 * service may echo the key it was sent (in an error body, a reply line, a JSON answer), and
 * nothing the service says may carry a secret on to a task's result or error, the audit trail
 * or a log line. The value is looked for as it is and URL-encoded (a key sent in a query
 * string). Values shorter than {@link #MIN_LENGTH} are left alone: masking every "ab" in every
 * result would mangle answers while hiding nothing a guess would not find.
 */
public final class SecretRedactor {
    public static final String MASK = "****";
    static final int MIN_LENGTH = 6;

    private final List<String> needles;

    private SecretRedactor(Collection<String> values) {
        Set<String> forms = new LinkedHashSet<>();
        for (String value : values) {
            if (value.length() >= MIN_LENGTH) {
                forms.add(value);
                forms.add(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
        // The longest first, so a secret containing another is masked whole.
        this.needles = forms.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    /** Masks these values. */
    public static SecretRedactor of(Collection<String> values) {
        return new SecretRedactor(values);
    }

    public static SecretRedactor none() {
        return new SecretRedactor(List.of());
    }

    public boolean isEmpty() {
        return needles.isEmpty();
    }

    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String redacted = text;
        for (String needle : needles) {
            if (redacted.contains(needle)) {
                redacted = redacted.replace(needle, MASK);
            }
        }
        return redacted;
    }

    /** The same node when it carries no secret, else a copy with every text and field name masked. */
    public JsonNode redact(JsonNode node) {
        if (node == null || needles.isEmpty() || !carriesSecret(node)) {
            return node;
        }
        return masked(node);
    }

    /**
     * The same failure when no message in its chain carries a secret, else a copy whose messages
     * are masked, keeping the stack traces, for a log line.
     */
    public Throwable redact(Throwable failure) {
        if (failure == null || !carriesSecret(failure)) {
            return failure;
        }
        RedactedFailure copy = new RedactedFailure(redact(failure.toString()), redact(failure.getCause()));
        copy.setStackTrace(failure.getStackTrace());
        return copy;
    }

    private boolean carriesSecret(Throwable failure) {
        for (Throwable at = failure; at != null; at = at.getCause()) {
            if (!redact(at.toString()).equals(at.toString())) {
                return true;
            }
            if (at.getCause() == at) {
                return false;
            }
        }
        return false;
    }

    private boolean carriesSecret(JsonNode node) {
        if (node.isTextual()) {
            return !redact(node.textValue()).equals(node.textValue());
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!redact(field.getKey()).equals(field.getKey()) || carriesSecret(field.getValue())) {
                return true;
            }
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (carriesSecret(element)) {
                    return true;
                }
            }
        }
        return false;
    }

    private JsonNode masked(JsonNode node) {
        if (node.isTextual()) {
            return TextNode.valueOf(redact(node.textValue()));
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            node.fields().forEachRemaining(field -> copy.set(redact(field.getKey()), masked(field.getValue())));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> copy.add(masked(element)));
            return copy;
        }
        return node;
    }

    /** A failure as it may be logged: its class and message in the text, secrets masked. */
    private static final class RedactedFailure extends RuntimeException {
        RedactedFailure(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
