package io.taskgate.ingress.ops;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /openapi.json}: the OpenAPI 3.1 document of the HTTP API, kept beside this class and
 * served as it is; {@code GET /docs}: a page that renders it with Redoc, which the reader's
 * browser loads from Redoc's CDN (the document itself needs nothing from outside).
 */
public final class OpenApiDocs {
    static final String DOCUMENT = "openapi.json";
    static final String PAGE = """
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>Taskgate API</title>
            </head>
            <body>
              <noscript>This page renders <a href="/openapi.json">/openapi.json</a> with Redoc, which needs JavaScript.</noscript>
              <redoc spec-url="/openapi.json"></redoc>
              <script src="https://cdn.redoc.ly/redoc/v2.5.0/bundles/redoc.standalone.js"></script>
            </body>
            </html>
            """;

    private final byte[] document;

    private OpenApiDocs(byte[] document) {
        this.document = document;
    }

    public static OpenApiDocs load() {
        try (InputStream in = OpenApiDocs.class.getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI document " + DOCUMENT + " is missing from the build");
            }
            return new OpenApiDocs(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void addRoutes(RoutingHandler routes) {
        routes.get("/openapi.json", this::document)
                .get("/docs", OpenApiDocs::page);
    }

    private void document(HttpServerExchange exchange) {
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(ByteBuffer.wrap(document));
    }

    private static void page(HttpServerExchange exchange) {
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html; charset=utf-8");
        exchange.getResponseSender().send(PAGE, StandardCharsets.UTF_8);
    }
}
