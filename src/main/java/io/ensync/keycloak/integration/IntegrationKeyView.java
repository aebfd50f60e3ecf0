package io.ensync.keycloak.integration;

import io.ensync.keycloak.common.Times;

/** An Integration Key as listed: never the key itself, except {@code key} in the answer that creates it. */
public record IntegrationKeyView(String id, String prefix, String createdAt, String lastUsedAt, String expiresAt,
                                 boolean revoked, String revokedAt, String key) {

    static IntegrationKeyView of(IntegrationKeyEntity e, String key) {
        return new IntegrationKeyView(e.getId(), e.getPrefix(), Times.iso(e.getCreatedAt()), Times.iso(e.getLastUsedAt()),
                Times.iso(e.getExpiresAt()), e.getRevokedAt() != null, Times.iso(e.getRevokedAt()), key);
    }
}
