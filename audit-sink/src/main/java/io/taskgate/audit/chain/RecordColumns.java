package io.taskgate.audit.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskgate.schemas.json.Json;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The columns of an audit record that queries filter and sort on, each taken from a field of the
 * record's JSON: {@code id}, {@code at} (as microseconds since the epoch), {@code service},
 * {@code action}, {@code outcome}, {@code agent_id}, {@code task_id}, {@code request_id}. A blank
 * or missing optional field is null. The sink derives them with {@link #of(ObjectNode)}; the
 * verifier derives them again from the stored JSON of a record hashed before these columns were
 * in the hash (chain version 1), so an edited column is found there too. Read back from a
 * database, a column someone emptied may be null; the hash then tells.
 */
public record RecordColumns(
        String eventId,
        long atMicros,
        String service,
        String action,
        String outcome,
        String agentId,
        String taskId,
        String requestId) {

    /**
     * The columns of this record.
     *
     * @throws IllegalArgumentException saying why this is not an audit record: one of id, at,
     *                                  service or action is missing, or at is not an instant
     */
    public static RecordColumns of(ObjectNode record) {
        String id = text(record, "id");
        String service = text(record, "service");
        String action = text(record, "action");
        String atText = text(record, "at");
        if (id == null || service == null || action == null || atText == null) {
            throw new IllegalArgumentException("value lacks one of id, at, service, action");
        }
        long atMicros;
        try {
            atMicros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(atText));
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("field at is not an ISO-8601 instant in range", e);
        }
        return new RecordColumns(id, atMicros, service, action, text(record, "outcome"), text(record, "agent_id"),
                text(record, "task_id"), text(record, "request_id"));
    }

    /** The columns the stored JSON of a record says it has, or null when that JSON is not an audit record. */
    static RecordColumns ofStoredJson(String recordJson) {
        try {
            return Json.mapper().readTree(recordJson) instanceof ObjectNode record ? of(record) : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    public Instant at() {
        return Instant.EPOCH.plus(atMicros, ChronoUnit.MICROS);
    }

    private static String text(ObjectNode record, String field) {
        JsonNode value = record.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        String text = value.isValueNode() ? value.asText() : value.toString();
        return text.isBlank() ? null : text;
    }
}
