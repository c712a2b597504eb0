package io.taskgate.ingress.tasks;

import io.taskgate.ingress.http.ApiException;
import io.taskgate.schemas.errors.ErrorCode;
import io.undertow.util.HttpString;
import java.util.Collection;
import java.util.Optional;

/** The {@code Idempotency-Key} request header: one value of 1 to 200 printable ASCII characters. */
final class IdempotencyKey {
    static final HttpString HEADER = new HttpString("Idempotency-Key");
    static final int MAX_LENGTH = 200;

    private IdempotencyKey() {
    }

    static Optional<String> from(Collection<String> headerValues) {
        if (headerValues == null || headerValues.isEmpty()) {
            return Optional.empty();
        }
        String key = headerValues.iterator().next();
        if (headerValues.size() > 1 || !isValid(key)) {
            throw new ApiException(ErrorCode.BAD_REQUEST,
                    "send one Idempotency-Key of 1 to " + MAX_LENGTH + " printable ASCII characters");
        }
        return Optional.of(key);
    }

    static boolean isValid(String key) {
        return key != null && !key.isEmpty() && key.length() <= MAX_LENGTH
                && key.chars().allMatch(c -> c >= 0x20 && c <= 0x7e);
    }
}
