package io.taskgate.platform.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class BearerCredentialsTest {
    @Test
    void shouldReadTheTokenOfABearerHeaderWhateverTheSchemeCase() {
        assertEquals(Optional.of("tg_abc"), BearerCredentials.parse("Bearer tg_abc"));
        assertEquals(Optional.of("tg_abc"), BearerCredentials.parse("bearer  tg_abc "));
        assertEquals(Optional.of("tg_abc"), BearerCredentials.parse("BEARER tg_abc"));
    }

    @Test
    void shouldFindNoTokenInAMissingBlankOrOtherSchemeHeader() {
        assertEquals(Optional.empty(), BearerCredentials.parse(null));
        assertEquals(Optional.empty(), BearerCredentials.parse("Bearer "));
        assertEquals(Optional.empty(), BearerCredentials.parse("Bearer    "));
        assertEquals(Optional.empty(), BearerCredentials.parse("Basic dXNlcjpwYXNz"));
        assertEquals(Optional.empty(), BearerCredentials.parse("Bearertg_abc"));
    }
}
