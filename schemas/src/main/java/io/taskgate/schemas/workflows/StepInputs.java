package io.taskgate.schemas.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * Fills a step's input template. A string that is exactly one placeholder becomes the value it
 * names, whatever its type; a placeholder inside a longer string is replaced by the value's text
 * (JSON for objects and lists). A path that names nothing is an error naming it, never an empty value.
 */
public final class StepInputs {
    private final JsonNode runInput;
    private final Map<String, JsonNode> results;

    public StepInputs(JsonNode runInput, Map<String, JsonNode> results) {
        this.runInput = runInput;
        this.results = results;
    }

    /**
     * @throws IllegalArgumentException naming the placeholder whose path is missing
     */
    public JsonNode fill(JsonNode template) {
        if (template.isTextual()) {
            return fillText(template.asText());
        }
        if (template.isObject()) {
            ObjectNode filled = JsonNodeFactory.instance.objectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = template.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                filled.set(field.getKey(), fill(field.getValue()));
            }
            return filled;
        }
        if (template.isArray()) {
            ArrayNode filled = JsonNodeFactory.instance.arrayNode();
            template.forEach(item -> filled.add(fill(item)));
            return filled;
        }
        return template;
    }

    private JsonNode fillText(String text) {
        Matcher matcher = Placeholder.PATTERN.matcher(text);
        if (matcher.matches()) {
            return valueOf(Placeholder.parse(matcher.group(1)));
        }
        StringBuilder out = new StringBuilder();
        matcher.reset();
        while (matcher.find()) {
            JsonNode value = valueOf(Placeholder.parse(matcher.group(1)));
            matcher.appendReplacement(out, Matcher.quoteReplacement(value.isValueNode() ? value.asText() : value.toString()));
        }
        matcher.appendTail(out);
        return TextNode.valueOf(out.toString());
    }

    private JsonNode valueOf(Placeholder placeholder) {
        JsonNode node = placeholder.step().map(results::get).orElse(runInput);
        String where = placeholder.step().map(step -> "the result of step '" + step + "'").orElse("the run's input");
        if (node == null) {
            throw new IllegalArgumentException("${" + placeholder.expression() + "}: step '" + placeholder.step().orElseThrow()
                    + "' has no result");
        }
        for (String segment : placeholder.path()) {
            JsonNode next = node.isArray() && segment.chars().allMatch(Character::isDigit) ? node.get(Integer.parseInt(segment))
                    : node.get(segment);
            if (next == null || next.isMissingNode()) {
                throw new IllegalArgumentException("${" + placeholder.expression() + "}: '" + segment + "' is not in " + where);
            }
            node = next;
        }
        return node;
    }
}
