package io.ensync.keycloak.audit;

import org.keycloak.events.admin.AdminEvent;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;

/**
 * An admin event builder for principals that are not Keycloak admins (integrations, partners). Keycloak's public
 * constructor needs an admin's user and client; this one starts from an event whose auth details are already set,
 * and otherwise stores and dispatches exactly like Keycloak's (event store, event listeners).
 */
final class PrincipalEventBuilder extends AdminEventBuilder {

    PrincipalEventBuilder(RealmModel realm, KeycloakSession session, String ipAddress, AdminEvent template) {
        super(realm, null, session, ipAddress, template);
    }
}
