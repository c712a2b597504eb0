package io.taskgate.schemas.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.taskgate.schemas.audit.AuditAction;
import io.taskgate.schemas.audit.AuditEvent;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;
import io.taskgate.schemas.tasks.DeadLetter;
import io.taskgate.schemas.tasks.TaskEvent;
import io.taskgate.schemas.tasks.TaskIds;
import io.taskgate.schemas.tasks.TaskMessage;
import io.taskgate.schemas.webhooks.DeliveryAttempt;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What producers write must match the JSON Schemas outside consumers read. */
class MessageSchemasTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:15:30.123Z");
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaMappers(mappers -> mappers.mapPrefix("https://taskgate.io/schemas/", "classpath:schemas/")));

    private final TaskMessage task = new TaskMessage(TaskIds.keyedBy(new byte[32], new java.security.SecureRandom()).random("agt_1"), "echo.run", "agt_1", "bot",
            JsonNodeFactory.instance.objectNode().put("msg", "hi"), "https://example.com/hook", "req_1", "k", "127.0.0.1", NOW, "default");

    @Test
    void shouldWriteTasksThatMatchTheTaskSchema() {
        assertValid("task.schema.json", task);
    }

    @Test
    void shouldWriteEveryKindOfTaskEventThatMatchesItsSchema() {
        assertValid("task-event.schema.json", TaskEvent.accepted(task, NOW));
        assertValid("task-event.schema.json", TaskEvent.started(task, 1, NOW));
        assertValid("task-event.schema.json", TaskEvent.succeeded(task, 1, JsonNodeFactory.instance.textNode("ok"), NOW));
        assertValid("task-event.schema.json", TaskEvent.succeededFromCache(task, JsonNodeFactory.instance.textNode("ok"), NOW));
        assertValid("task-event.schema.json", TaskEvent.rejected(task, ErrorDetail.retryable(ErrorCode.RATE_LIMITED, "slow down", 12), NOW));
        assertValid("task-event.schema.json", TaskEvent.cancelled(task.taskId(), "agt_1", "echo.run", "req_2",
                "https://example.com/hook", NOW));
        assertValid("task-event.schema.json", TaskEvent.webhookAttempt(task.taskId(), "agt_1",
                new DeliveryAttempt(2, NOW, 500, null, NOW.plusSeconds(300)), NOW));
        for (ErrorCode code : ErrorCode.values()) {
            assertValid("task-event.schema.json", TaskEvent.failed(task, 3, ErrorDetail.of(code, "x"), NOW));
        }
    }

    @Test
    void shouldWriteDeadLettersThatMatchTheirSchema() {
        assertValid("dead-letter.schema.json", new DeadLetter(task, ErrorDetail.of(ErrorCode.TOOL_FAILED, "boom"), 3, NOW));
    }

    @Test
    void shouldWriteEveryAuditActionThatMatchesTheAuditSchema() {
        for (AuditAction action : AuditAction.values()) {
            assertValid("audit.schema.json", new AuditEvent("id-1", NOW, "ingress", action, "ok", "agt_1", task.taskId(),
                    "req_1", "127.0.0.1", Map.of("input_hash", "sha256:00")));
        }
    }

    @Test
    void shouldRefuseAMessageWithoutItsRequiredFields() {
        JsonNode broken = Json.mapper().valueToTree(task);
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken).remove("task_id");
        assertFalse(validate("task.schema.json", broken).isEmpty());
    }

    @Test
    void shouldWriteErrorsInTheOneErrorShape() {
        JsonNode json = Json.mapper().valueToTree(ErrorDetail.retryable(ErrorCode.RATE_LIMITED, "slow down", 12));
        assertEquals(429, json.get("code").asInt());
        assertEquals("RATE_LIMITED", json.get("codeName").asText());
        assertEquals("slow down", json.get("message").asText());
        assertEquals(12, json.get("retry_after_s").asInt());
        assertEquals(4, json.size());
    }

    @Test
    void shouldReadBackWhatItWrites() {
        JsonSerde<TaskEvent> serde = new JsonSerde<>(TaskEvent.class);
        TaskEvent event = TaskEvent.rejected(task, ErrorDetail.retryable(ErrorCode.RATE_LIMITED, "slow down", 12), NOW);
        TaskEvent back = serde.fromBytes(serde.toBytes(event));
        assertEquals(event, back);
        assertEquals(ErrorCode.RATE_LIMITED, back.error().kind());
    }

    private void assertValid(String schemaFile, Object message) {
        Set<ValidationMessage> errors = validate(schemaFile, Json.mapper().valueToTree(message));
        assertTrue(errors.isEmpty(), schemaFile + ": " + errors + " in " + Json.mapper().valueToTree(message));
    }

    private Set<ValidationMessage> validate(String schemaFile, JsonNode json) {
        JsonSchema schema = factory.getSchema(SchemaLocation.of("https://taskgate.io/schemas/" + schemaFile));
        return schema.validate(json);
    }
}
