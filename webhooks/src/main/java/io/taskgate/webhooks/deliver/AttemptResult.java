package io.taskgate.webhooks.deliver;

/**
 * What one attempt gave: the receiver's status code, or why there was none; and an error for a
 * status that is not success (a redirect, a body over the cap) as well.
 *
 * @param reason a short, fixed label of the failure for metrics ({@code http_status}, {@code timeout}, ...)
 */
record AttemptResult(Integer statusCode, String error, String reason, long durationMs) {

    static AttemptResult answered(int statusCode, long durationMs) {
        boolean success = statusCode >= 200 && statusCode < 300;
        return new AttemptResult(statusCode, null, success ? null : "http_status", durationMs);
    }

    static AttemptResult failed(Integer statusCode, String error, String reason, long durationMs) {
        return new AttemptResult(statusCode, error, reason, durationMs);
    }

    boolean succeeded() {
        return error == null && statusCode != null && statusCode >= 200 && statusCode < 300;
    }
}
