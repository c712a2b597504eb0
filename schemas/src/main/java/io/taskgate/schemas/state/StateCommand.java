package io.taskgate.schemas.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A write to one key, on {@code state.commands} keyed by {@code namespace/key}: every write to a key
 * goes to one partition and one processor decides it, so compare-and-set holds across instances.
 *
 * @param ifMatch the version the writer expects (from an ETag), or null for an unconditional write
 */
public record StateCommand(String commandId, Op op, String namespace, String key, JsonNode value, Long ttlS, Long ifMatch,
                           String agentId, String requestId, Instant at) {
    public static final String TYPE = "state_command";
    public static final int VERSION = 1;

    public enum Op {
        PUT, DELETE;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public StateCommand {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(at, "at");
    }

    @JsonProperty("type")
    public String type() {
        return TYPE;
    }

    @JsonProperty("v")
    public int v() {
        return VERSION;
    }

    public String topicKey() {
        return StateEntry.topicKey(namespace, key);
    }
}
