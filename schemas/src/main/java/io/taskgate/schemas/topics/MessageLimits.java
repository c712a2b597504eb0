package io.taskgate.schemas.topics;

/**
 * How large Taskgate's records may be, in one place, so that the producer, the topics and the
 * limits ingress and workers enforce agree. Each record carries one payload (a task's input, or
 * its result) plus an envelope of ids, names and times:
 *
 * <pre>
 *   request body  ≤ MAX_INPUT_BYTES  (TASKGATE_MAX_BODY_BYTES may only lower it)
 *   task result   ≤ MAX_RESULT_BYTES (the whole serialized event, checked by the worker)
 *   any record    ≤ MAX_RECORD_BYTES (producer max.request.size, topic max.message.bytes)
 * </pre>
 *
 * Half of a record is left to the envelope: a payload re-serialized by Taskgate is not larger than
 * the caller's JSON, but the margin keeps a body just under its limit from ever becoming a record
 * Kafka refuses (it did once: a 1 MiB body plus the envelope passed the producer's 1 MiB default).
 */
public final class MessageLimits {
    /** The producer's {@code max.request.size} and every topic's {@code max.message.bytes}. */
    public static final int MAX_RECORD_BYTES = 8 * 1024 * 1024;
    /** The largest request body ingress may be configured to accept. */
    public static final int MAX_INPUT_BYTES = MAX_RECORD_BYTES / 2;
    /** The largest serialized outcome event a worker sends; a larger result fails with RESULT_TOO_LARGE. */
    public static final int MAX_RESULT_BYTES = MAX_RECORD_BYTES / 2;

    private MessageLimits() {
    }
}
