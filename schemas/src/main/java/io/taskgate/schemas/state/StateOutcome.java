package io.taskgate.schemas.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Objects;

/**
 * How the state processor decided one {@link StateCommand}, on {@code state.outcomes} keyed by
 * command id, for the writer waiting on it.
 *
 * @param version the key's version after the write (for a delete, the version that was deleted)
 */
public record StateOutcome(String commandId, Result result, String topicKey, long version) {
    public static final String TYPE = "state_outcome";
    public static final int VERSION = 1;

    public enum Result {
        APPLIED, PRECONDITION_FAILED, NOT_FOUND;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public StateOutcome {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(result, "result");
    }

    @JsonProperty("type")
    public String type() {
        return TYPE;
    }

    @JsonProperty("v")
    public int v() {
        return VERSION;
    }
}
