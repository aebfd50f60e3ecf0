package io.ensync.keycloak.partner;

import io.ensync.keycloak.lifecycle.IntegrationDeleted;
import io.ensync.keycloak.lifecycle.IntegrationEnvironmentsChanging;
import org.keycloak.provider.ProviderEvent;
import org.keycloak.provider.ProviderEventListener;

/**
 * What an integration's changes mean for its partners, in the transaction of the change: its environments stay as
 * they are once it has partners (409), and its deletion offboards and removes them.
 */
public final class IntegrationChanges implements ProviderEventListener {

    @Override
    public void onEvent(ProviderEvent event) {
        if (event instanceof IntegrationEnvironmentsChanging changing) {
            new PartnerService(changing.session(), changing.realm()).requireNoPartners(changing.integrationId());
        } else if (event instanceof IntegrationDeleted deleted) {
            new PartnerService(deleted.session(), deleted.realm()).offboardAll(deleted.integrationId(), deleted.actor());
        }
    }
}
