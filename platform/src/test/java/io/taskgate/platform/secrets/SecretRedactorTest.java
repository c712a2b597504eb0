package io.taskgate.platform.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.schemas.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretRedactorTest {
    private final SecretRedactor redactor = SecretRedactor.of(List.of("key+with/slash", "pw", "inner-key-longer"));

    @Test
    void shouldMaskAValueAsItIsAndUrlEncoded() {
        assertEquals("bad key **** in api_key=****", redactor.redact("bad key key+with/slash in api_key=key%2Bwith%2Fslash"));
    }

    @Test
    void shouldLeaveValuesTooShortToMaskWithoutManglingText() {
        assertEquals("pwd pw", redactor.redact("pwd pw"));
    }

    @Test
    void shouldReturnTheSameJsonWhenItCarriesNoSecretAndAMaskedCopyOtherwise() throws IOException {
        JsonNode clean = Json.mapper().readTree("{\"a\": [1, \"two\"], \"b\": {\"c\": null}}");
        JsonNode dirty = Json.mapper().readTree("{\"a\": [1, \"x inner-key-longer y\"], \"inner-key-longer\": true}");

        assertSame(clean, redactor.redact(clean));
        assertEquals(Json.mapper().readTree("{\"a\": [1, \"x **** y\"], \"****\": true}"), redactor.redact(dirty));
        assertTrue(dirty.toString().contains("inner-key-longer"), "the original is not changed");
    }

    @Test
    void shouldMaskAFailuresMessagesAndKeepItsStackTrace() {
        IllegalStateException failure = new IllegalStateException("outer", new IOException("echoed key+with/slash"));
        Throwable clean = new IllegalStateException("nothing here");

        Throwable redacted = redactor.redact(failure);
        StringWriter printed = new StringWriter();
        redacted.printStackTrace(new PrintWriter(printed));

        assertSame(clean, redactor.redact(clean));
        assertFalse(printed.toString().contains("key+with/slash"), printed::toString);
        assertTrue(printed.toString().contains("java.io.IOException: echoed ****"), printed::toString);
        assertEquals(failure.getStackTrace()[0], redacted.getStackTrace()[0]);
    }
}
