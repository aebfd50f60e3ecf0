package io.ensync.keycloak.audit;

/** The admin-event resource types of the extension (SPEC §9). */
public enum AuditResource {
    ENSYNC_INTEGRATION,
    ENSYNC_INTEGRATION_KEY,
    ENSYNC_PARTNER,
    ENSYNC_LINK,
    ENSYNC_SECRET,
    ENSYNC_GRANT,
    ENSYNC_PROMOTION,
    ENSYNC_WEBHOOK,
    ENSYNC_ACCESS_REQUEST
}
