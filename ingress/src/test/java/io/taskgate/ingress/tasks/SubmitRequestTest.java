package io.taskgate.ingress.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.ingress.http.ApiException;
import io.taskgate.schemas.errors.ErrorCode;
import io.taskgate.schemas.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubmitRequestTest {

    private static JsonNode json(String text) throws Exception {
        return Json.mapper().readTree(text);
    }

    @Test
    void shouldTakeAnyJsonAsInput() throws Exception {
        assertEquals(json("[1,2]"), SubmitRequest.from(json("{\"input\": [1,2]}"), false).input());
        assertTrue(SubmitRequest.from(json("{\"input\": null}"), false).input().isNull());
        assertNull(SubmitRequest.from(json("{\"input\": 1, \"callback_url\": null}"), false).callbackUrl());
    }

    @Test
    void shouldRequireInputNamingIt() throws Exception {
        ApiException missing = assertThrows(ApiException.class, () -> SubmitRequest.from(json("{\"inptu\": 1}"), false));
        ApiException notObject = assertThrows(ApiException.class, () -> SubmitRequest.from(json("[1]"), false));

        assertEquals(ErrorCode.BAD_REQUEST, missing.detail().kind());
        assertTrue(missing.detail().message().contains("'input'"));
        assertEquals(ErrorCode.BAD_REQUEST, notObject.detail().kind());
    }

    @Test
    void shouldAcceptAnHttpsCallbackUrlAndHttpOnlyWhenAllowed() throws Exception {
        assertEquals("https://hooks.example.com/t?x=1",
                SubmitRequest.from(json("{\"input\": 1, \"callback_url\": \"https://hooks.example.com/t?x=1\"}"), false).callbackUrl());
        assertEquals("http://10.0.0.1:8080/cb",
                SubmitRequest.from(json("{\"input\": 1, \"callback_url\": \"http://10.0.0.1:8080/cb\"}"), true).callbackUrl());
        ApiException http = assertThrows(ApiException.class,
                () -> SubmitRequest.from(json("{\"input\": 1, \"callback_url\": \"http://hooks.example.com/cb\"}"), false));
        assertTrue(http.detail().message().contains("'callback_url' must be an absolute https URL"), http.detail().message());
    }

    @Test
    void shouldRejectACallbackUrlThatIsNotAnAbsoluteWebUrl() {
        for (String bad : List.of("\"/relative\"", "\"ftp://example.com/x\"", "\"javascript:alert(1)\"", "\"https://\"",
                "\"https://user:secret@example.com/\"", "\"not a url\"", "42", "\"https://example.com/" + "a".repeat(2100) + "\"")) {
            ApiException error = assertThrows(ApiException.class,
                    () -> SubmitRequest.from(json("{\"input\": 1, \"callback_url\": " + bad + "}"), true), bad);
            assertEquals(ErrorCode.BAD_REQUEST, error.detail().kind());
            assertTrue(error.detail().message().contains("callback_url"));
        }
    }
}
