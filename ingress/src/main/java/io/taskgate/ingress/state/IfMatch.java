package io.taskgate.ingress.state;

import io.taskgate.ingress.http.ApiException;
import io.taskgate.schemas.errors.ErrorCode;

/** The version an {@code If-Match} header names: an ETag this API gave out, {@code "123"}. */
final class IfMatch {
    private IfMatch() {
    }

    static Long parse(String header) {
        if (header == null) {
            return null;
        }
        String text = header.trim();
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            text = text.substring(1, text.length() - 1);
        }
        if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(Character::isDigit)) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "If-Match must be an ETag this API returned, such as \"1733040000000\"");
        }
        return Long.parseLong(text);
    }
}
