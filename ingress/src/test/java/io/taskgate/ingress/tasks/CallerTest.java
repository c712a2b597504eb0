package io.taskgate.ingress.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskgate.ingress.auth.Principal;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CallerTest {

    @Test
    void shouldNeverShowTheAuthorizationHeader() {
        Principal principal = new Principal("agt_a", "agent-a", Set.of("*"), Set.of("*"), "jti", Instant.EPOCH);
        Caller caller = new Caller(Optional.of(principal), "Bearer eyJhbGciOiJIUzI1NiJ9.secret", "req_1", false, "127.0.0.1");

        assertFalse(caller.toString().contains("eyJ"), caller.toString());
        assertTrue(caller.toString().contains("agt_a"));
    }

    @Test
    void shouldSpeakForAnonymousWithoutAToken() {
        Caller caller = new Caller(Optional.empty(), null, "req_1", false, "127.0.0.1");

        assertEquals(Caller.ANONYMOUS, caller.agentId());
        assertEquals(Caller.ANONYMOUS, caller.agentName());
    }
}
