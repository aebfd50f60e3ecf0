package io.ensync.keycloak.lifecycle;

import io.ensync.keycloak.audit.Actor;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderEvent;

/**
 * A partner is about to be suspended or offboarded, in this session's transaction, before its status and clients
 * change (as Keycloak's {@code UserPreRemovedEvent} comes before the user goes): what waits for a decision ends, and
 * on offboarding every grant too. {@link LifecycleEvent.Partner} follows once the change is made.
 */
public record PartnerDeactivating(KeycloakSession session, RealmModel realm, String partnerId, boolean offboarding,
                                  Actor actor) implements ProviderEvent {

    /** Why what waits for a decision ended, as recorded on it. */
    public String reason() {
        return offboarding ? "offboarded" : "suspended";
    }

    public void publish() {
        session.getKeycloakSessionFactory().publish(this);
    }
}
