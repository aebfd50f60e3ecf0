package io.ensync.keycloak.common;

import org.keycloak.models.KeycloakSession;

import java.io.InputStream;

/**
 * The body of an endpoint that takes no fields (approve, suspend, delete …): none at all, or an empty JSON object.
 * It goes through the same strict reader as every other body, so {@code {"x":1}} is a 400 naming {@code x}.
 */
public record NoFields() {

    public static void require(KeycloakSession session, InputStream body) {
        Json.readOptional(session.getContext().getRequestHeaders(), body, NoFields.class);
    }
}
