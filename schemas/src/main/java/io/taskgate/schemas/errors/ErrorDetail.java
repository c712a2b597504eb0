package io.taskgate.schemas.errors;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * The one error body of Taskgate, on the wire and in task events:
 * {@code {"code": 429, "codeName": "RATE_LIMITED", "message": "...", "retry_after_s": 12}}.
 */
@JsonPropertyOrder({"code", "codeName", "message", "retry_after_s"})
public record ErrorDetail(@JsonIgnore ErrorCode kind, String message, Long retryAfterS) {

    public ErrorDetail {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    public static ErrorDetail of(ErrorCode kind, String message) {
        return new ErrorDetail(kind, message, null);
    }

    public static ErrorDetail retryable(ErrorCode kind, String message, long retryAfterS) {
        return new ErrorDetail(kind, message, retryAfterS);
    }

    @JsonCreator
    static ErrorDetail fromJson(@JsonProperty("codeName") ErrorCode kind,
                                @JsonProperty("message") String message,
                                @JsonProperty("retry_after_s") Long retryAfterS) {
        return new ErrorDetail(kind, message, retryAfterS);
    }

    @JsonProperty("code")
    public int code() {
        return kind.httpStatus();
    }

    @JsonProperty("codeName")
    public String codeName() {
        return kind.name();
    }
}
