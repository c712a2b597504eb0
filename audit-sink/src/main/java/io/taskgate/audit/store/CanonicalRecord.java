package io.taskgate.audit.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskgate.platform.audit.Redaction;
import io.taskgate.schemas.json.Json;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.TreeMap;

/**
 * One audit record made ready for the chain: secret-named fields dropped, object keys sorted at
 * every depth, written compactly. That text is the record's canonical JSON, stored as it is and
 * hashed as it is. The record is read as a JSON tree, not as {@code AuditEvent}, so fields and
 * actions a newer producer adds are kept rather than lost.
 *
 * <p>A value that is not an audit record (not JSON, or without id, at, service or action) is still
 * chained, so the trail shows that something unreadable sat at that offset: as an {@code invalid}
 * record holding only the SHA-256 of the value, because the value itself may hold anything.
 */
record CanonicalRecord(
        String eventId,
        Instant at,
        long atMicros,
        String service,
        String action,
        String outcome,
        String agentId,
        String taskId,
        String requestId,
        String json,
        List<String> droppedKeys,
        boolean invalid) {
    static final String INVALID_ACTION = "invalid";
    private static final String SINK_SERVICE = "audit-sink";

    static CanonicalRecord of(SourceRecord source) {
        JsonNode tree;
        try {
            tree = source.value() == null ? null : Json.mapper().readTree(source.value());
        } catch (IOException e) {
            return invalid(source, "value is not JSON");
        }
        if (!(tree instanceof ObjectNode record)) {
            return invalid(source, "value is not a JSON object");
        }
        List<String> dropped = SecretKeys.drop(record);
        String id = text(record, "id");
        String service = text(record, "service");
        String action = text(record, "action");
        String atText = text(record, "at");
        if (id == null || service == null || action == null || atText == null) {
            return invalid(source, "value lacks one of id, at, service, action");
        }
        Instant at;
        long atMicros;
        try {
            at = Instant.parse(atText);
            atMicros = ChronoUnit.MICROS.between(Instant.EPOCH, at);
        } catch (DateTimeParseException | ArithmeticException e) {
            return invalid(source, "field at is not an ISO-8601 instant in range");
        }
        return new CanonicalRecord(id, at, atMicros, service, action, text(record, "outcome"), text(record, "agent_id"),
                text(record, "task_id"), text(record, "request_id"), write(sorted(record)), dropped, false);
    }

    private static CanonicalRecord invalid(SourceRecord source, String reason) {
        ObjectNode details = JsonNodeFactory.instance.objectNode()
                .put("reason", reason)
                .put("value_sha256", source.value() == null ? null : Redaction.sha256(source.value()));
        String id = "kafka-" + source.partition() + "-" + source.offset();
        ObjectNode record = JsonNodeFactory.instance.objectNode()
                .put("action", INVALID_ACTION)
                .put("at", source.timestamp().toString())
                .put("id", id)
                .put("service", SINK_SERVICE);
        record.set("details", details);
        return new CanonicalRecord(id, source.timestamp(), ChronoUnit.MICROS.between(Instant.EPOCH, source.timestamp()),
                SINK_SERVICE, INVALID_ACTION, null, null, null, null, write(sorted(record)), List.of(), true);
    }

    private static String text(ObjectNode record, String field) {
        JsonNode value = record.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        String text = value.isValueNode() ? value.asText() : value.toString();
        return text.isBlank() ? null : text;
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> fields = new TreeMap<>();
            node.properties().forEach(field -> fields.put(field.getKey(), sorted(field.getValue())));
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            fields.forEach(copy::set);
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> copy.add(sorted(element)));
            return copy;
        }
        return node;
    }

    private static String write(JsonNode node) {
        try {
            return Json.mapper().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }
}
