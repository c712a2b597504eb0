package io.taskgate.schemas.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** A node of a workflow document with the dotted path that led to it, for errors that name field and line. */
record DocumentField(String path, Node node) {

    int line() {
        return node.getStartMark().getLine() + 1;
    }

    WorkflowException error(String problem) {
        return new WorkflowException(path, line(), problem);
    }

    boolean isNull() {
        return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
    }

    /** Key and value fields of a map in document order, keys known; a key given twice is an error. */
    Map<String, DocumentField> mapping(Set<String> knownKeys) {
        Map<String, DocumentField> fields = new LinkedHashMap<>();
        entries().forEach((key, value) -> {
            if (knownKeys != null && !knownKeys.contains(key.name())) {
                throw key.error("unknown key; expected one of " + String.join(", ", knownKeys.stream().sorted().toList()));
            }
            fields.put(key.name(), value);
        });
        return fields;
    }

    /** Key fields (their path ends in the key) with their values. */
    Map<DocumentField, DocumentField> entries() {
        if (isNull()) {
            return Map.of();
        }
        if (!(node instanceof MappingNode mapping)) {
            throw error("expected a map, got " + describe());
        }
        Map<DocumentField, DocumentField> entries = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String name = new DocumentField(path, tuple.getKeyNode()).text();
            DocumentField key = new DocumentField(path.isEmpty() ? name : path + "." + name, tuple.getKeyNode());
            if (!seen.add(name)) {
                throw key.error("given twice");
            }
            entries.put(key, new DocumentField(key.path, tuple.getValueNode()));
        }
        return entries;
    }

    /** The last segment of the path: for a key field, the key. */
    String name() {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    List<DocumentField> items() {
        if (isNull()) {
            return List.of();
        }
        if (!(node instanceof SequenceNode sequence)) {
            throw error("expected a list, got " + describe());
        }
        List<DocumentField> items = new ArrayList<>();
        for (int i = 0; i < sequence.getValue().size(); i++) {
            items.add(new DocumentField(path + "[" + i + "]", sequence.getValue().get(i)));
        }
        return items;
    }

    String text() {
        if (!(node instanceof ScalarNode scalar) || isNull() || scalar.getValue().isBlank()) {
            throw error("expected a value, got " + describe());
        }
        return scalar.getValue().trim();
    }

    int wholeNumber(int min, int max) {
        String text = text();
        if (!text.matches("[0-9]{1,9}") || Integer.parseInt(text) < min || Integer.parseInt(text) > max) {
            throw error("expected a whole number from " + min + " to " + max + ", got " + describe());
        }
        return Integer.parseInt(text);
    }

    boolean bool() {
        String value = node instanceof ScalarNode scalar ? scalar.getValue() : "";
        if (value.equals("true")) {
            return true;
        }
        if (value.equals("false")) {
            return false;
        }
        throw error("expected true or false, got " + describe());
    }

    /** The node as JSON: YAML integers, floats, booleans and nulls keep their type; anything else is text. */
    JsonNode toJson() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        if (node instanceof MappingNode) {
            ObjectNode object = json.objectNode();
            entries().forEach((key, value) -> object.set(key.name(), value.toJson()));
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

    String describe() {
        if (node instanceof MappingNode) {
            return "a map";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return isNull() ? "nothing" : "'" + ((ScalarNode) node).getValue() + "'";
    }
}
