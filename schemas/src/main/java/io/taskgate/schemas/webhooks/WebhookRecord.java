package io.taskgate.schemas.webhooks;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A record on {@code webhooks}, keyed by task id. {@code due}: the scheduler hands one attempt to
 * the deliverers, with everything needed to send it. {@code outcome}: a deliverer reports what the
 * attempt gave ({@code statusCode} or {@code error}, or {@code deferred} when it was not made because
 * the receiver's host was busy). {@code redeliver}: an admin asked for the webhook again.
 */
public record WebhookRecord(
        Kind kind,
        String taskId,
        String agentId,
        String webhookId,
        Integer attempt,
        String callbackUrl,
        String payload,
        Instant endedAt,
        Instant at,
        Integer statusCode,
        String error,
        Long durationMs,
        boolean deferred,
        String requestId) {
    public static final String TYPE = "webhook";
    public static final int VERSION = 1;

    public enum Kind {
        DUE, OUTCOME, REDELIVER;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public WebhookRecord {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(taskId, "taskId");
    }

    @JsonProperty("type")
    public String type() {
        return TYPE;
    }

    @JsonProperty("v")
    public int v() {
        return VERSION;
    }

    public static WebhookRecord due(String taskId, String agentId, String webhookId, int attempt, String callbackUrl,
                                    String payload, Instant endedAt, Instant at) {
        return new WebhookRecord(Kind.DUE, taskId, agentId, webhookId, attempt, callbackUrl, payload, endedAt, at,
                null, null, null, false, null);
    }

    /** The outcome of this due attempt: answered with {@code statusCode}, or failed with {@code error}. */
    public WebhookRecord outcome(Instant attemptedAt, Integer answeredStatus, String failure, long tookMs) {
        return new WebhookRecord(Kind.OUTCOME, taskId, agentId, webhookId, attempt, null, null, endedAt, attemptedAt,
                answeredStatus, failure, tookMs, false, null);
    }

    /** This due attempt was not made (its receiver's host was at its limit); the scheduler sends it again soon. */
    public WebhookRecord deferredAt(Instant now) {
        return new WebhookRecord(Kind.OUTCOME, taskId, agentId, webhookId, attempt, null, null, endedAt, now,
                null, null, null, true, null);
    }

    public static WebhookRecord redeliver(String taskId, Instant at, String requestId) {
        return new WebhookRecord(Kind.REDELIVER, taskId, null, null, null, null, null, null, at, null, null, null, false,
                requestId);
    }

    /** A 2xx answer that was read in full (an answer over the cap fails the attempt whatever its status). */
    public boolean succeeded() {
        return error == null && statusCode != null && statusCode >= 200 && statusCode < 300;
    }

    /** {@code 410 Gone}: the receiver wants no more attempts. */
    public boolean gone() {
        return statusCode != null && statusCode == 410;
    }

    @Override
    public String toString() {
        return "WebhookRecord[kind=" + kind + ", taskId=" + taskId + ", webhookId=" + webhookId + ", attempt=" + attempt
                + ", statusCode=" + statusCode + ", error=" + error + ", deferred=" + deferred + "]";
    }
}
