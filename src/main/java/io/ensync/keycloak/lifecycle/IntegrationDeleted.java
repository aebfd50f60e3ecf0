package io.ensync.keycloak.lifecycle;

import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderEvent;

/** An integration is being deleted (its partners already offboarded), in this session's transaction. */
public record IntegrationDeleted(KeycloakSession session, String realmId, String integrationId) implements ProviderEvent {

    public void publish() {
        session.getKeycloakSessionFactory().publish(this);
    }
}
