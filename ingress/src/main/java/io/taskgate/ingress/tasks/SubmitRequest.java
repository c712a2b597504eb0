package io.taskgate.ingress.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskgate.ingress.http.ApiException;
import io.taskgate.platform.audit.Redaction;
import io.taskgate.platform.net.CallbackUrl;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.json.Json;

/** The body of {@code POST /__runner/task/{name}}: {@code {"input": <any JSON>, "callback_url": "https://..."}}. */
record SubmitRequest(JsonNode input, String callbackUrl) {

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

    /** @param allowHttp {@code TASKGATE_WEBHOOK_ALLOW_HTTP}: http callback URLs are accepted too */
    static SubmitRequest from(JsonNode body, boolean allowHttp) {
        if (!body.isObject()) {
            throw badRequest("the body must be a JSON object with an 'input' field");
        }
        JsonNode input = body.get("input");
        if (input == null) {
            throw badRequest("'input' is required");
        }
        JsonNode callback = body.get("callback_url");
        String callbackUrl = callback == null || callback.isNull() ? null : callbackUrl(callback, allowHttp);
        return new SubmitRequest(input, callbackUrl);
    }

    private static String callbackUrl(JsonNode value, boolean allowHttp) {
        if (!value.isTextual()) {
            throw badRequest("'callback_url' must be a string");
        }
        CallbackUrl.problem(value.textValue(), allowHttp).ifPresent(problem -> {
            throw badRequest("'callback_url' " + problem);
        });
        return value.textValue();
    }

    private static ApiException badRequest(String message) {
        return new ApiException(ErrorCode.BAD_REQUEST, message);
    }
}
