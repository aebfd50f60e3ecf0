package io.ensync.keycloak.common;

import org.keycloak.models.KeycloakSession;

import java.io.InputStream;

/** The optional body of every denial ({@code POST …/deny}): {@code {"reason":"…"}}, or no body at all. */
public record DenialReason(String reason) {

    /** The reason given, or null (no body, or no reason in it); a body with anything else is a 400. */
    public static String read(KeycloakSession session, InputStream body) {
        DenialReason given = Json.readOptional(session.getContext().getRequestHeaders(), body, DenialReason.class);
        return given == null ? null : given.reason();
    }
}
