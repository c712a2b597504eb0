package io.taskgate.ingress.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.ingress.http.ApiException;
import io.taskgate.platform.net.CallbackUrl;
import io.taskgate.schemas.errors.ErrorCode;

/** The body of {@code POST /__runner/task/{name}}: {@code {"input": <any JSON>, "callback_url": "https://..."}}. */
record SubmitRequest(JsonNode input, String callbackUrl) {

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
