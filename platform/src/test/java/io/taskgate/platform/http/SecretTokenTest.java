package io.taskgate.platform.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecretTokenTest {
    private final SecretToken admin = new SecretToken("tga_the-admin-token");

    @Test
    void shouldMatchOnlyTheExactSecret() {
        assertTrue(admin.matches("tga_the-admin-token"));
        assertFalse(admin.matches("tga_the-admin-token "));
        assertFalse(admin.matches("tga_the-admin-toke"));
        assertFalse(admin.matches(""));
        assertFalse(admin.matches(null));
    }

    @Test
    void shouldNotPrintTheSecret() {
        assertFalse(admin.toString().contains("tga_"));
    }
}
