package io.taskgate.platform.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

class RedactionTest {

    @Test
    void shouldKeepOnlyAHashOfThePayload() {
        String hash = Redaction.hash(JsonNodeFactory.instance.objectNode().put("password", "hunter2"));
        assertTrue(hash.matches("sha256:[0-9a-f]{64}"), hash);
        assertFalse(hash.contains("hunter2"));
        assertEquals(hash, Redaction.hash(JsonNodeFactory.instance.objectNode().put("password", "hunter2")));
        assertNotEquals(hash, Redaction.hash(JsonNodeFactory.instance.objectNode().put("password", "hunter3")));
    }
}
