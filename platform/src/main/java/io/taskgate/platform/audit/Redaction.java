package io.taskgate.platform.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.schemas.crypto.Sha256;
import io.taskgate.schemas.json.Json;
import java.nio.charset.StandardCharsets;

/**
 * How payloads enter the audit trail by default: as a SHA-256 of their JSON, so a record proves
 * which input or result it was about without keeping it.
 */
public final class Redaction {
    private Redaction() {
    }

    public static String hash(JsonNode payload) {
        if (payload == null) {
            return null;
        }
        try {
            return sha256(Json.mapper().writeValueAsBytes(payload));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JsonNode always serializes", e);
        }
    }

    public static String sha256(byte[] bytes) {
        return "sha256:" + Sha256.hex(bytes);
    }

    public static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }
}
