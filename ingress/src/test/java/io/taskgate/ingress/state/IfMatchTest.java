package io.taskgate.ingress.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.taskgate.ingress.http.ApiException;
import io.taskgate.schemas.errors.ErrorCode;
import org.junit.jupiter.api.Test;

class IfMatchTest {

    @Test
    void shouldReadTheVersionOfAQuotedOrBareEtag() {
        assertEquals(1733040000000L, IfMatch.parse("\"1733040000000\""));
        assertEquals(7L, IfMatch.parse("7"));
        assertNull(IfMatch.parse(null));
    }

    @Test
    void shouldRefuseWeakWildcardAndGarbageEtags() {
        for (String bad : new String[] {"W/\"1\"", "*", "\"\"", "\"12a\"", "1".repeat(19)}) {
            ApiException error = assertThrows(ApiException.class, () -> IfMatch.parse(bad), bad);
            assertEquals(ErrorCode.BAD_REQUEST, error.detail().kind());
        }
    }
}
