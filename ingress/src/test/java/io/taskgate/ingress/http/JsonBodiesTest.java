package io.taskgate.ingress.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JsonBodiesTest {

    @Test
    void shouldRecogniseJsonMediaTypes() {
        assertTrue(JsonBodies.isJson("application/json"));
        assertTrue(JsonBodies.isJson("Application/JSON; charset=utf-8"));
        assertTrue(JsonBodies.isJson("application/merge-patch+json"));
        assertFalse(JsonBodies.isJson("text/plain"));
        assertFalse(JsonBodies.isJson(null));
    }

    @Test
    void shouldReduceAContentTypeToItsMediaType() {
        assertEquals("application/yaml", JsonBodies.mediaType("application/YAML; charset=utf-8"));
        assertEquals("", JsonBodies.mediaType(null));
    }
}
