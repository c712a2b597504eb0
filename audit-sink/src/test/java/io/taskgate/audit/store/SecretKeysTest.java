package io.taskgate.audit.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskgate.schemas.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretKeysTest {

    @ParameterizedTest
    @ValueSource(strings = {"token", "TOKEN", "access_token", "accessToken", "X-Auth-Token", "secret", "webhook_secret",
            "clientSecret", "password", "db-password", "private_key", "privateKeyPem", "PRIVATE_KEY", "authorization",
            "Authorization", "api_key", "apiKey", "X-Api-Key", "APIKEY"})
    void shouldRecogniseSecretNames(String name) {
        assertTrue(SecretKeys.namesSecret(name), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"max_tokens", "tokens_used", "key", "task_id", "agent_id", "jti", "input_hash", "keyboard",
            "public_key_id", "status"})
    void shouldKeepOrdinaryNames(String name) {
        assertFalse(SecretKeys.namesSecret(name), name);
    }

    @Test
    void shouldDropSecretFieldsAtAnyDepth() throws Exception {
        JsonNode tree = Json.mapper().readTree(
                "{\"a\":1,\"token\":\"x\",\"inner\":{\"password\":\"y\",\"b\":[{\"apiKey\":\"z\",\"c\":2}]}}");

        List<String> dropped = SecretKeys.drop(tree);

        assertEquals(List.of("token", "password", "apiKey"), dropped);
        assertEquals("{\"a\":1,\"inner\":{\"b\":[{\"c\":2}]}}", tree.toString());
    }
}
