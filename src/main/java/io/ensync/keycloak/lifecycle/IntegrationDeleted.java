package io.ensync.keycloak.lifecycle;

import io.ensync.keycloak.audit.Actor;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderEvent;

/**
 * An integration is being deleted, in this session's transaction. Published before its own rows go, as Keycloak
 * publishes {@code RealmRemovedEvent}: listeners remove what hangs off it (its partners are offboarded and their
 * records removed; its webhook endpoints and messages go). Listeners must not depend on one another's order.
 */
public record IntegrationDeleted(KeycloakSession session, RealmModel realm, String integrationId, Actor actor)
        implements ProviderEvent {

    public void publish() {
        session.getKeycloakSessionFactory().publish(this);
    }
}
