package io.taskgate.policy.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccessRulesTest {

    @Test
    void shouldFindTheHostOfAUrlNormalized() {
        assertEquals(Optional.of("internal.company.com"), AccessRules.hostOf("https://user:pw@Internal.Company.COM.:8443/x?y"));
        assertEquals(Optional.of("::1"), AccessRules.hostOf("http://[::1]:8080/"));
        assertEquals(Optional.of("under_score.corp"), AccessRules.hostOf("http://under_score.corp:81/"));
        assertEquals(Optional.empty(), AccessRules.hostOf("/relative/path"));
        assertEquals(Optional.empty(), AccessRules.hostOf("http://bad host/"));
    }

    @Test
    void shouldMatchWildcardsOnSubdomainsOnly() {
        assertTrue(AccessRules.matches("*.corp", "wiki.corp"));
        assertTrue(AccessRules.matches("*.corp", "a.b.corp"));
        assertFalse(AccessRules.matches("*.corp", "notcorp"));
        assertFalse(AccessRules.matches("*.corp", "corp.example.com"));
        assertTrue(AccessRules.matches("internal.company.com", "internal.company.com"));
        assertFalse(AccessRules.matches("internal.company.com", "api.internal.company.com"));
    }
}
