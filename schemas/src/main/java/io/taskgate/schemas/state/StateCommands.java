package io.taskgate.schemas.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.schemas.json.Json;
import java.time.Instant;

/**
 * Builds a {@code PUT} from a request body {@code {"value", "ttl_s"?}}, checking the limits, for
 * the HTTP API and the {@code state.set} task alike.
 */
public final class StateCommands {
    private StateCommands() {
    }

    /**
     * @throws StateLimitException saying what is wrong with the body
     */
    public static StateCommand put(String commandId, String namespace, String key, JsonNode body, Long ifMatch, String agentId,
                                   String requestId, Instant at) {
        if (body == null || !body.isObject() || !body.has("value")) {
            throw new StateLimitException(false, "send {\"value\": ..., \"ttl_s\"?: seconds}");
        }
        JsonNode value = body.get("value");
        int size;
        try {
            size = Json.mapper().writeValueAsBytes(value).length;
        } catch (JsonProcessingException e) {
            throw new StateLimitException(false, "value is not JSON");
        }
        if (size > StateLimits.MAX_VALUE_BYTES) {
            throw new StateLimitException(true, "value is " + size + " bytes; at most " + StateLimits.MAX_VALUE_BYTES);
        }
        Long ttl = null;
        JsonNode ttlNode = body.get("ttl_s");
        if (ttlNode != null && !ttlNode.isNull()) {
            if (!ttlNode.canConvertToLong() || !ttlNode.isIntegralNumber() || ttlNode.asLong() < 1 || ttlNode.asLong() > StateLimits.MAX_TTL_S) {
                throw new StateLimitException(false, "ttl_s must be a whole number of seconds from 1 to " + StateLimits.MAX_TTL_S);
            }
            ttl = ttlNode.asLong();
        }
        return new StateCommand(commandId, StateCommand.Op.PUT, namespace, key, value, ttl, ifMatch, agentId, requestId, at);
    }

    /** A body that breaks a limit; {@code tooLarge} when it is the value's size. */
    public static final class StateLimitException extends RuntimeException {
        private final boolean tooLarge;

        public StateLimitException(boolean tooLarge, String message) {
            super(message);
            this.tooLarge = tooLarge;
        }

        public boolean tooLarge() {
            return tooLarge;
        }
    }
}
