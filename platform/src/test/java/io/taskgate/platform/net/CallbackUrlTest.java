package io.taskgate.platform.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CallbackUrlTest {

    @Test
    void shouldAcceptHttpsAndHttpOnlyWhenAllowed() {
        assertEquals(Optional.empty(), CallbackUrl.problem("https://hooks.example.com/t?x=1", false));
        assertEquals(Optional.of("must be an absolute https URL"), CallbackUrl.problem("http://hooks.example.com/t", false));
        assertEquals(Optional.empty(), CallbackUrl.problem("http://hooks.example.com/t", true));
    }

    @Test
    void shouldNameWhatIsWrongWithABadUrl() {
        assertTrue(CallbackUrl.problem("https://user:pw@example.com/", false).orElseThrow().contains("credentials"));
        assertTrue(CallbackUrl.problem("https://example.com/" + "a".repeat(CallbackUrl.MAX_LENGTH), false).orElseThrow().contains("longer"));
        assertTrue(CallbackUrl.problem("ftp://example.com/", true).isPresent());
        assertTrue(CallbackUrl.problem("not a url", true).isPresent());
    }
}
