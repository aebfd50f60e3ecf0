package io.ensync.keycloak.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The OpenAPI document shipped in the jar, read once. */
final class OpenApiDocument {

    static final String TEXT = load();

    private OpenApiDocument() {
    }

    private static String load() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream("/ensync/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("ensync/openapi.json is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
