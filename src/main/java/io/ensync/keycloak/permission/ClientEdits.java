package io.ensync.keycloak.permission;

import org.keycloak.models.ClientModel;
import org.keycloak.provider.ProviderEvent;
import org.keycloak.provider.ProviderEventListener;

/**
 * Keycloak's model announces every update of a client made through its representation (the admin API's
 * {@code PUT /clients/{id}}, client registration) with {@link ClientModel.ClientUpdatedEvent}, in the transaction of
 * the change. A partner client's sealed claim is then sealed again from the grant table: an admin who may edit the
 * client cannot put back a value the extension sealed before a grant was revoked, and an admin console form sent with
 * a stale copy of the attributes does not undo a decision either.
 */
public final class ClientEdits implements ProviderEventListener {

    @Override
    public void onEvent(ProviderEvent event) {
        if (event instanceof ClientModel.ClientUpdatedEvent updated && updated.getUpdatedClient().getAttribute(SealedClaim.ATTR) != null) {
            TopicClaims.resealAfterEdit(updated.getKeycloakSession(), updated.getUpdatedClient());
        }
    }
}
