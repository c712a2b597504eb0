package io.taskgate.ingress.http;

import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.errors.ErrorDetail;

/** A request that ends in the error shape; thrown by handlers, written by {@link ErrorMappingHandler}. */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ErrorDetail detail;

    public ApiException(ErrorDetail detail) {
        super(detail.kind() + ": " + detail.message(), null, false, false);
        this.detail = detail;
    }

    public ApiException(ErrorCode code, String message) {
        this(ErrorDetail.of(code, message));
    }

    public ErrorDetail detail() {
        return detail;
    }
}
