package io.ensync.keycloak.lifecycle;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderEvent;

/**
 * An admin is about to change an integration's environments, in this session's transaction, before anything of the
 * update is applied. A listener that must keep them as they are throws the {@code ApiException} to answer; the
 * update then changes nothing.
 */
public record IntegrationEnvironmentsChanging(KeycloakSession session, RealmModel realm, String integrationId)
        implements ProviderEvent {

    public void publish() {
        session.getKeycloakSessionFactory().publish(this);
    }
}
