package io.ensync.keycloak.permission;

import io.ensync.keycloak.lifecycle.EventType;
import io.ensync.keycloak.lifecycle.LifecycleEvent;
import io.ensync.keycloak.lifecycle.PartnerDeactivating;
import io.ensync.keycloak.partner.PartnerClientEntity;
import io.ensync.keycloak.partner.PartnerEntity;
import io.ensync.keycloak.partner.PartnerService;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderEvent;
import org.keycloak.provider.ProviderEventListener;

/**
 * What a partner's lifecycle means for its grants and promotions, in the transaction of the change: an onboarded
 * partner's clients get the topic claim; a suspension ends what waits for a decision, an offboarding every grant too.
 */
public final class PartnerChanges implements ProviderEventListener {

    @Override
    public void onEvent(ProviderEvent event) {
        if (event instanceof PartnerDeactivating deactivating) {
            deactivate(deactivating);
        } else if (event instanceof LifecycleEvent.Partner onboarded && onboarded.type() == EventType.PARTNER_ONBOARDED) {
            attachClaims(onboarded.session(), onboarded.session().realms().getRealm(onboarded.realmId()), onboarded.partnerId());
        }
    }

    private static void deactivate(PartnerDeactivating event) {
        KeycloakSession session = event.session();
        RealmModel realm = event.realm();
        PartnerEntity partner = new PartnerService(session, realm).get(event.partnerId());
        GrantService grants = new GrantService(session, realm);
        if (event.offboarding()) {
            grants.revokeAll(partner, event.actor());
        } else {
            grants.endPending(partner, event.reason(), event.actor());
        }
        new PromotionService(session, realm).endPending(partner, event.reason(), event.actor());
    }

    private static void attachClaims(KeycloakSession session, RealmModel realm, String partnerId) {
        for (PartnerClientEntity client : new PartnerService(session, realm).get(partnerId).getClients()) {
            TopicClaims.attach(session, realm, realm.getClientById(client.getClientUuid()), partnerId, client.getEnvironment());
        }
    }
}
