package io.taskgate.ingress.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskgate.ingress.http.ApiException;
import io.taskgate.platform.audit.Redaction;
import io.taskgate.schemas.json.Json;
import io.taskgate.schemas.errors.ErrorCode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** The body of {@code POST /__runner/task/{name}}: {@code {"input": <any JSON>, "callback_url": "https://..."}}. */
record SubmitRequest(JsonNode input, String callbackUrl) {
    static final int MAX_CALLBACK_URL_LENGTH = 2048;

    /**
     * What an {@code Idempotency-Key} is bound to: the SHA-256 of input and callback URL as parsed,
     * so a retry that formats the same JSON differently is still the same request.
     */
    String fingerprint() {
        ObjectNode canonical = Json.mapper().createObjectNode();
        canonical.set("input", input);
        canonical.put("callback_url", callbackUrl);
        return Redaction.hash(canonical);
    }

    static SubmitRequest from(JsonNode body) {
        if (!body.isObject()) {
            throw badRequest("the body must be a JSON object with an 'input' field");
        }
        JsonNode input = body.get("input");
        if (input == null) {
            throw badRequest("'input' is required");
        }
        JsonNode callback = body.get("callback_url");
        String callbackUrl = callback == null || callback.isNull() ? null : callbackUrl(callback);
        return new SubmitRequest(input, callbackUrl);
    }

    /** An absolute http or https URL with a host and no credentials, which would end up in logs and the trail. */
    private static String callbackUrl(JsonNode value) {
        if (!value.isTextual() || value.textValue().length() > MAX_CALLBACK_URL_LENGTH) {
            throw invalidCallback();
        }
        URI uri;
        try {
            uri = new URI(value.textValue());
        } catch (URISyntaxException e) {
            throw invalidCallback();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean web = scheme.equals("http") || scheme.equals("https");
        if (!web || uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw invalidCallback();
        }
        return uri.toString();
    }

    private static ApiException invalidCallback() {
        return badRequest("'callback_url' must be an absolute http or https URL without credentials, at most "
                + MAX_CALLBACK_URL_LENGTH + " characters");
    }

    private static ApiException badRequest(String message) {
        return new ApiException(ErrorCode.BAD_REQUEST, message);
    }
}
