package io.taskgate.schemas.errors;

/**
 * Every error Taskgate reports, with the HTTP status it travels with. The first group are
 * protocol errors of the edge; the second are reasons a task did not run or did not succeed.
 */
public enum ErrorCode {
    BAD_REQUEST(400),
    UNAUTHORIZED(401),
    FORBIDDEN(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    CONFLICT(409),
    PRECONDITION_FAILED(412),
    PAYLOAD_TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    UNPROCESSABLE(422),
    TOO_MANY_REQUESTS(429),
    INTERNAL(500),
    UNAVAILABLE(503),

    RATE_LIMITED(429),
    POLICY_DENIED(403),
    DOMAIN_BLOCKED(403),
    TOOL_FAILED(502),
    TIMEOUT(504),
    CANCELLED(409),
    RESULT_TOO_LARGE(502),
    BACKEND_UNAVAILABLE(503);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
