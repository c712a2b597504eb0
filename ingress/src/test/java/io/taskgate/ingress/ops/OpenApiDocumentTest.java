package io.taskgate.ingress.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.taskgate.schemas.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The OpenAPI document ingress serves: valid OpenAPI 3.1, with examples that match their schemas. */
class OpenApiDocumentTest {
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    @Test
    void shouldBeAnOpenApi31DocumentTheParserFindsNoFaultWith() throws IOException {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);

        SwaggerParseResult result = new OpenAPIV3Parser().readContents(text(), null, options);

        assertNotNull(result.getOpenAPI(), String.valueOf(result.getMessages()));
        assertEquals("3.1.0", result.getOpenAPI().getOpenapi());
        assertEquals(List.of(), result.getMessages() == null ? List.of() : result.getMessages());
        assertTrue(result.getOpenAPI().getPaths().containsKey("/__runner/task/{name}"));
    }

    @Test
    void shouldGiveExamplesThatMatchTheirSchemas() throws IOException {
        JsonNode document = Json.mapper().readTree(text());
        List<String> checked = new ArrayList<>();
        List<String> faults = new ArrayList<>();
        walk(document, document, "#", checked, faults);

        assertTrue(checked.size() >= 30, "examples checked: " + checked.size());
        assertEquals(List.of(), faults);
    }

    @Test
    void shouldTellABadExampleFromAGoodOne() throws IOException {
        JsonNode document = Json.mapper().readTree(text());
        JsonSchema error = schemaOf(document, Json.mapper().readTree("{\"$ref\": \"#/components/schemas/Error\"}"));

        assertFalse(error.validate(Json.mapper().readTree("{\"ok\": true}")).isEmpty());
        assertTrue(error.validate(Json.mapper().readTree(
                "{\"ok\": false, \"error\": {\"code\": 404, \"codeName\": \"NOT_FOUND\", \"message\": \"no\"}, \"request_id\": \"r\"}")).isEmpty());
    }

    /** Every object with a schema and an example (media types, parameters), or named examples. */
    private static void walk(JsonNode document, JsonNode node, String at, List<String> checked, List<String> faults) {
        if (node.isObject()) {
            JsonNode schema = node.get("schema");
            if (schema != null && (node.has("example") || node.has("examples"))) {
                List<JsonNode> examples = new ArrayList<>();
                if (node.has("example")) {
                    examples.add(node.get("example"));
                }
                node.path("examples").forEach(named -> examples.add(named.get("value")));
                for (JsonNode example : examples) {
                    checked.add(at);
                    Set<ValidationMessage> messages = schemaOf(document, schema).validate(example);
                    messages.forEach(message -> faults.add(at + ": " + message.getMessage()));
                }
            }
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                walk(document, field.getValue(), at + "/" + field.getKey(), checked, faults);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(document, node.get(i), at + "/" + i, checked, faults);
            }
        }
    }

    /** The schema, with the document's components beside it so that its $refs resolve. */
    private static JsonSchema schemaOf(JsonNode document, JsonNode schema) {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.set("components", document.get("components"));
        root.putArray("allOf").add(schema);
        return SCHEMAS.getSchema(root);
    }

    private static String text() throws IOException {
        try (InputStream in = OpenApiDocs.class.getResourceAsStream(OpenApiDocs.DOCUMENT)) {
            assertNotNull(in, "the document is on the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
