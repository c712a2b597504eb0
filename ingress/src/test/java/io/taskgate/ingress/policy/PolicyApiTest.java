package io.taskgate.ingress.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PolicyApiTest {

    @Test
    void shouldServeJsonDocumentsAsJsonAndEverythingElseAsYaml() {
        assertEquals("application/json", PolicyApi.mediaTypeOf("  {\"version\": 1}"));
        assertEquals("application/yaml", PolicyApi.mediaTypeOf("version: 1\n"));
        assertEquals("application/yaml", PolicyApi.mediaTypeOf("# {not json}\nversion: 1\n"));
    }
}
