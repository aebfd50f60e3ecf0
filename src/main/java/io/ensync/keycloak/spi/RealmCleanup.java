package io.ensync.keycloak.spi;

import io.ensync.keycloak.common.Jpa;
import jakarta.persistence.EntityManager;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderEvent;
import org.keycloak.provider.ProviderEventListener;

/**
 * Keeps the extension's tables in step with Keycloak: a deleted realm takes its EnSync data along, and a partner
 * client deleted outside the extension (admin console) no longer counts as the partner's.
 */
class RealmCleanup implements ProviderEventListener {

    private static final String[] REALM_DELETES = {
            "ensync.accessRequest.deleteByRealm",
            "ensync.webhookMessage.deleteByRealm",
            "ensync.webhook.deleteByRealm",
            "ensync.attempt.deleteByRealm",
            "ensync.promotionGrant.deleteByRealm",
            "ensync.grant.deleteByRealm",
            "ensync.promotion.deleteByRealm",
            "ensync.idempotency.deleteByRealm",
            "ensync.link.deleteByRealm",
            "ensync.portalSession.deleteByRealm",
            "ensync.partnerClient.deleteByRealm",
            "ensync.partner.deleteByRealm",
            "ensync.key.deleteByRealm",
    };

    @Override
    public void onEvent(ProviderEvent event) {
        if (event instanceof RealmModel.RealmRemovedEvent removed) {
            deleteRealm(removed.getKeycloakSession(), removed.getRealm().getId());
        } else if (event instanceof ClientModel.ClientRemovedEvent removed) {
            Jpa.em(removed.getKeycloakSession())
                    .createQuery("delete from PartnerClientEntity c where c.clientUuid = :clientUuid")
                    .setParameter("clientUuid", removed.getClient().getId())
                    .executeUpdate();
        }
    }

    private static void deleteRealm(KeycloakSession session, String realmId) {
        EntityManager em = Jpa.em(session);
        for (String query : REALM_DELETES) {
            em.createNamedQuery(query).setParameter("realmId", realmId).executeUpdate();
        }
        em.createQuery("delete from TopicRuleEntity t where t.integration.id in "
                + "(select i.id from IntegrationEntity i where i.realmId = :realmId)").setParameter("realmId", realmId).executeUpdate();
        em.createQuery("delete from IntegrationEntity i where i.realmId = :realmId").setParameter("realmId", realmId).executeUpdate();
    }
}
