package io.taskgate.schemas.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A node of an operator's document (YAML, or JSON, which is YAML) with the dotted path that led to
 * it, so that every error names the field and the line. Documents are read as nodes rather than
 * bound to objects because only the nodes know their line.
 */
public final class YamlField {
    private final String path;
    private final Node node;
    private final FieldErrors errors;

    private YamlField(String path, Node node, FieldErrors errors) {
        this.path = path;
        this.node = node;
        this.errors = errors;
    }

    /**
     * @param emptyProblem what to say of an empty document
     * @throws RuntimeException from {@code errors} when the text is not YAML or is empty
     */
    public static YamlField root(String document, FieldErrors errors, String emptyProblem) {
        Node node;
        try {
            node = new Yaml().compose(new StringReader(untabbedJson(document == null ? "" : document)));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw errors.at("", mark == null ? 1 : mark.getLine() + 1, "not valid YAML or JSON: " + e.getProblem());
        } catch (YAMLException e) {
            throw errors.at("", 1, "not valid YAML or JSON: " + e.getMessage());
        } catch (RuntimeException e) {
            // SnakeYAML reports some malformed documents with other exceptions: a tag such as
            // "!:aa:%0" ends in an IllegalArgumentException (found by PolicyParsingFuzzTest). The
            // document comes from an admin's request, so whatever the library throws is theirs to fix.
            throw errors.at("", 1, "not valid YAML or JSON: " + e.getMessage());
        }
        if (node == null) {
            throw errors.at("", 1, emptyProblem);
        }
        return new YamlField("", node, errors);
    }

    /**
     * SnakeYAML refuses tabs where JSON allows them as whitespace. Valid JSON has no raw tab inside
     * a string (it must be escaped), so in a JSON document every tab is whitespace and a space
     * reads the same, on the same line.
     */
    private static String untabbedJson(String document) {
        return document.stripLeading().startsWith("{") ? document.replace('\t', ' ') : document;
    }

    /** The dotted path of this field ({@code ingress.ip_allowlist[1]}), empty for the document. */
    public String path() {
        return path;
    }

    public Node node() {
        return node;
    }

    /** The 1-based line the field starts on. */
    public int line() {
        return node.getStartMark().getLine() + 1;
    }

    public RuntimeException error(String problem) {
        return errors.at(path, line(), problem);
    }

    public boolean isNull() {
        return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
    }

    public boolean isScalar() {
        return node instanceof ScalarNode && !isNull();
    }

    /** The fields of a map by key, only known keys; an empty or null value is an empty map. */
    public Map<String, YamlField> mapping(Set<String> knownKeys) {
        Map<String, YamlField> fields = new LinkedHashMap<>();
        entries().forEach((key, value) -> {
            if (!knownKeys.contains(key.text())) {
                throw key.error("unknown key; expected one of " + String.join(", ", knownKeys.stream().sorted().toList()));
            }
            fields.put(key.text(), value);
        });
        return fields;
    }

    /**
     * Key and value fields of a map in document order (a key's {@link #text} is the key, its path
     * ends in it); a key given twice is an error. An empty or null value is an empty map.
     */
    public Map<YamlField, YamlField> entries() {
        if (isNull()) {
            return Map.of();
        }
        if (!(node instanceof MappingNode mapping)) {
            throw error("expected a map, got " + describe());
        }
        Map<YamlField, YamlField> entries = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String name = new YamlField(path, tuple.getKeyNode(), errors).text();
            YamlField key = new YamlField(path.isEmpty() ? name : path + "." + name, tuple.getKeyNode(), errors);
            if (!seen.add(name)) {
                throw key.error("given twice");
            }
            entries.put(key, new YamlField(key.path, tuple.getValueNode(), errors));
        }
        return entries;
    }

    /** The items of a list; an empty or null value is an empty list. */
    public List<YamlField> items() {
        if (isNull()) {
            return List.of();
        }
        if (!(node instanceof SequenceNode sequence)) {
            throw error("expected a list, got " + describe());
        }
        List<YamlField> items = new ArrayList<>();
        for (int i = 0; i < sequence.getValue().size(); i++) {
            items.add(new YamlField(path + "[" + i + "]", sequence.getValue().get(i), errors));
        }
        return items;
    }

    /** The text of a scalar that must be present, trimmed. */
    public String text() {
        if (!(node instanceof ScalarNode scalar) || isNull() || scalar.getValue().isBlank()) {
            throw error("expected a value, got " + describe());
        }
        return scalar.getValue().trim();
    }

    /** The text of a scalar exactly as written: placeholders and values keep their spaces. */
    public String rawText() {
        if (!isScalar()) {
            throw error("expected a value, got " + describe());
        }
        return ((ScalarNode) node).getValue();
    }

    /** A YAML boolean; the quoted text "true" or "false" is taken too, as it reads the same. */
    public boolean bool() {
        String value = node instanceof ScalarNode scalar ? scalar.getValue().toLowerCase(Locale.ROOT) : "";
        boolean yamlBool = node.getTag().equals(Tag.BOOL);
        if (value.equals("true") || yamlBool && (value.equals("yes") || value.equals("on"))) {
            return true;
        }
        if (value.equals("false") || yamlBool && (value.equals("no") || value.equals("off"))) {
            return false;
        }
        throw error("expected true or false, got " + describe());
    }

    public int wholeNumber(int min, int max) {
        String text = text();
        if (!text.matches("[0-9]{1,9}") || Integer.parseInt(text) < min || Integer.parseInt(text) > max) {
            throw error("expected a whole number from " + min + " to " + max + ", got " + describe());
        }
        return Integer.parseInt(text);
    }

    /** The field as JSON: YAML integers, floats, booleans and nulls keep their type; anything else is text. */
    public JsonNode toJson() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        if (node instanceof MappingNode) {
            ObjectNode object = json.objectNode();
            entries().forEach((key, value) -> object.set(key.text(), value.toJson()));
            return object;
        }
        if (node instanceof SequenceNode) {
            ArrayNode array = json.arrayNode();
            items().forEach(item -> array.add(item.toJson()));
            return array;
        }
        String value = ((ScalarNode) node).getValue();
        Tag tag = node.getTag();
        try {
            if (tag.equals(Tag.NULL)) {
                return json.nullNode();
            }
            if (tag.equals(Tag.BOOL)) {
                return json.booleanNode(bool());
            }
            if (tag.equals(Tag.INT)) {
                return json.numberNode(new BigInteger(value.replace("_", "")));
            }
            if (tag.equals(Tag.FLOAT)) {
                return json.numberNode(Double.parseDouble(value.replace("_", "")));
            }
        } catch (NumberFormatException e) {
            throw error("not a number: " + describe());
        }
        return json.textNode(value);
    }

    /** How an error names what was found instead: "a map", "a list", "nothing" or the value quoted. */
    public String describe() {
        if (node instanceof MappingNode) {
            return "a map";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return isNull() ? "nothing" : "'" + ((ScalarNode) node).getValue() + "'";
    }
}
