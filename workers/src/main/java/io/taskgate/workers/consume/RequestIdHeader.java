package io.taskgate.workers.consume;

import io.taskgate.platform.tracing.TraceContext;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The caller's {@code X-Request-Id}, as it travels in Kafka record headers from ingress to every
 * event, beside the task's W3C {@code traceparent}.
 */
public final class RequestIdHeader {
    public static final String NAME = "X-Request-Id";

    private RequestIdHeader() {
    }

    /** The request id of a record, or null when it has none. */
    public static String read(Headers headers) {
        Header header = headers.lastHeader(NAME);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Headers carrying this request id; empty when it is null. */
    public static Headers of(String requestId) {
        return of(requestId, null);
    }

    /** Headers carrying this request id and the task's W3C {@code traceparent}, each when not null. */
    public static Headers of(String requestId, String traceparent) {
        RecordHeaders headers = new RecordHeaders();
        if (requestId != null) {
            headers.add(NAME, requestId.getBytes(StandardCharsets.UTF_8));
        }
        if (traceparent != null) {
            headers.add(TraceContext.HEADER, traceparent.getBytes(StandardCharsets.US_ASCII));
        }
        return headers;
    }
}
