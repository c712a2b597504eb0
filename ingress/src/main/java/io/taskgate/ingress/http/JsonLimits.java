package io.taskgate.ingress.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskgate.schemas.json.Json;

/**
 * What ingress accepts in a JSON request body, beyond its size: at most {@value #MAX_DEPTH} levels
 * of nesting, numbers of at most {@value #MAX_NUMBER_CHARS} characters, field names of at most
 * {@value #MAX_NAME_CHARS}, strings no longer than the body limit, and no field twice in one
 * object (which value would win differs between parsers, a classic smuggling trick). Each is a
 * 400 in the error shape, naming the limit. Decimals are kept exact (see {@link Json}).
 */
public final class JsonLimits {
    public static final int MAX_DEPTH = 64;
    public static final int MAX_NUMBER_CHARS = 100;
    public static final int MAX_NAME_CHARS = 1_000;

    private JsonLimits() {
    }

    /** A mapper of Taskgate's dialect that enforces these limits, strings capped at {@code maxStringChars}. */
    public static ObjectMapper mapper(long maxStringChars) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_DEPTH)
                        .maxNumberLength(MAX_NUMBER_CHARS)
                        .maxNameLength(MAX_NAME_CHARS)
                        .maxStringLength((int) Math.min(Integer.MAX_VALUE, Math.max(1, maxStringChars)))
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        return Json.configure(new ObjectMapper(factory));
    }
}
