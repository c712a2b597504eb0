package io.taskgate.schemas.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON dialect of Taskgate: snake_case fields, ISO-8601 instants, nulls left out, and
 * unknown fields ignored so that a newer producer never breaks an older consumer. Numbers in free
 * JSON (a task's input and result) are kept exactly: decimals as {@code BigDecimal} with their
 * scale, never as doubles, so {@code 1e400} stays {@code 1E+400} rather than becoming Infinity and
 * {@code 1.50} keeps its digits; only the exponent's spelling may change ({@code 1e9} is written
 * {@code 1E+9}), never the value.
 */
public final class Json {
    private static final ObjectMapper MAPPER = configure(new ObjectMapper());

    private Json() {
    }

    /** The shared mapper. It is configured once here and never reconfigured, so sharing it is safe. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Applies Taskgate's JSON conventions to a mapper of another format (YAML). */
    public static <M extends ObjectMapper> M configure(M mapper) {
        mapper.registerModule(new JavaTimeModule());
        mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        mapper.setSerializationInclusion(JsonInclude.Include.NON_NULL);
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
        mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        mapper.configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
        return mapper;
    }
}
