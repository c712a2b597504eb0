package io.taskgate.audit.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskgate.audit.chain.RecordColumns;
import io.taskgate.platform.audit.Redaction;
import io.taskgate.schemas.json.Json;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.TreeMap;

/**
 * One audit record made ready for the chain: secret-named fields dropped, object keys sorted at
 * every depth, written compactly. That text is the record's canonical JSON, stored as it is and
 * hashed as it is, with the {@link RecordColumns} taken from it. The record is read as a JSON
 * tree, not as {@code AuditEvent}, so fields and actions a newer producer adds are kept rather
 * than lost.
 *
 * <p>A value that is not an audit record (not JSON, or without id, at, service or action) is still
 * chained, so the trail shows that something unreadable sat at that offset: as an {@code invalid}
 * record holding only the SHA-256 of the value, because the value itself may hold anything.
 */
record CanonicalRecord(RecordColumns columns, String json, List<String> droppedKeys, boolean invalid) {
    static final String INVALID_ACTION = "invalid";
    static final String GAP_ACTION = "audit.gap";
    static final String RESENT_ACTION = "audit.resent";
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
        ObjectNode canonical = (ObjectNode) sorted(record);
        try {
            return new CanonicalRecord(RecordColumns.of(canonical), write(canonical), dropped, false);
        } catch (IllegalArgumentException e) {
            return invalid(source, e.getMessage());
        }
    }

    /**
     * The record of offsets {@code [firstOffset, endOffset)} of a partition that the topic deleted
     * (its retention) before the sink read them: the trail says what it lost instead of skipping
     * it in silence.
     */
    static CanonicalRecord gap(int partition, long firstOffset, long endOffset, Instant at) {
        ObjectNode details = JsonNodeFactory.instance.objectNode()
                .put("partition", partition)
                .put("first_offset", firstOffset)
                .put("last_offset", endOffset - 1)
                .put("lost", endOffset - firstOffset)
                .put("reason", "deleted from the topic before the audit sink read them");
        ObjectNode record = sinkRecord(GAP_ACTION, "gap-" + partition + "-" + firstOffset + "-" + endOffset, at, details);
        record.put("outcome", "lost");
        return sinkCanonical(record, false);
    }

    /**
     * The record in place of a second copy of an event already in the trail: its service sent it
     * again because Kafka had not acknowledged it, and the broker had kept the first. The copy is
     * not chained as the event a second time (counts per task stay true), but its offset keeps a
     * record, so every consumed offset has one.
     */
    static CanonicalRecord resent(int partition, long offset, CanonicalRecord copy) {
        ObjectNode details = JsonNodeFactory.instance.objectNode()
                .put("event_id", copy.columns().eventId())
                .put("partition", partition)
                .put("offset", offset)
                .put("reason", "the same event as one already stored, sent again by its service");
        ObjectNode record = sinkRecord(RESENT_ACTION, "resent-" + partition + "-" + offset,
                Instant.EPOCH.plus(copy.columns().atMicros(), ChronoUnit.MICROS), details);
        return sinkCanonical(record, false);
    }

    private static CanonicalRecord invalid(SourceRecord source, String reason) {
        ObjectNode details = JsonNodeFactory.instance.objectNode()
                .put("reason", reason)
                .put("value_sha256", source.value() == null ? null : Redaction.sha256(source.value()));
        String id = "kafka-" + source.partition() + "-" + source.offset();
        return sinkCanonical(sinkRecord(INVALID_ACTION, id, source.timestamp(), details), true);
    }

    private static ObjectNode sinkRecord(String action, String id, Instant at, ObjectNode details) {
        ObjectNode record = JsonNodeFactory.instance.objectNode()
                .put("action", action)
                .put("at", at.toString())
                .put("id", id)
                .put("service", SINK_SERVICE);
        record.set("details", details);
        return record;
    }

    private static CanonicalRecord sinkCanonical(ObjectNode record, boolean invalid) {
        ObjectNode canonical = (ObjectNode) sorted(record);
        return new CanonicalRecord(RecordColumns.of(canonical), write(canonical), List.of(), invalid);
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
