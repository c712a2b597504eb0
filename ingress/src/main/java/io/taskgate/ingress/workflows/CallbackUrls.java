package io.taskgate.ingress.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.ingress.http.ApiException;
import io.taskgate.schemas.errors.ErrorCode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** A run's {@code callback_url}: absent, or an absolute http(s) URL of reasonable length. */
final class CallbackUrls {
    private static final int MAX_LENGTH = 2_048;

    private CallbackUrls() {
    }

    static String parse(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.asText().length() > MAX_LENGTH) {
            throw bad();
        }
        try {
            URI uri = new URI(value.asText());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return value.asText();
            }
        } catch (URISyntaxException e) {
            throw bad();
        }
        throw bad();
    }

    private static ApiException bad() {
        return new ApiException(ErrorCode.BAD_REQUEST, "callback_url must be an absolute http or https URL of at most " + MAX_LENGTH + " characters");
    }
}
