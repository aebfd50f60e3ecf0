package io.ensync.keycloak.partner;

import io.ensync.keycloak.common.Jpa;
import io.ensync.keycloak.common.RealmUpgrade;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;

import java.util.List;

/**
 * Brings partner clients made by earlier versions to the current shape at start-up, once per realm (a realm
 * attribute records the revision): the client scopes of {@link PartnerApiScope}, and what the packages above this
 * one add to a partner client (the sealed token claim), given as a {@link Step}. Idempotent, so two nodes starting
 * at once do no harm; existing installations need no manual step.
 */
public final class PartnerClientsUpgrade {

    static final String ATTR_REVISION = "ensync.partnerClients.revision";
    static final String REVISION = "2";
    private static final int BATCH = 200;

    private PartnerClientsUpgrade() {
    }

    /** Another package's part of the upgrade of one partner client, in the batch's transaction; idempotent. */
    @FunctionalInterface
    public interface Step {
        void apply(KeycloakSession session, RealmModel realm, ClientModel client, String partnerId, String environment);
    }

    public static void run(KeycloakSessionFactory factory, Step step) {
        for (String realmId : RealmUpgrade.pending(factory, ATTR_REVISION, REVISION)) {
            upgrade(factory, realmId, step);
        }
    }

    private static void upgrade(KeycloakSessionFactory factory, String realmId, Step step) {
        List<String> clients = RealmUpgrade.inRealm(factory, realmId, (session, realm) -> Jpa.em(session)
                .createQuery("select c.id from PartnerClientEntity c where c.realmId = :realmId order by c.id", String.class)
                .setParameter("realmId", realmId).getResultList());
        for (int from = 0; from < clients.size(); from += BATCH) {
            List<String> batch = clients.subList(from, Math.min(from + BATCH, clients.size()));
            RealmUpgrade.inRealm(factory, realmId, (session, realm) -> {
                for (String id : batch) {
                    PartnerClientEntity partnerClient = Jpa.em(session).find(PartnerClientEntity.class, id);
                    ClientModel client = partnerClient == null ? null : realm.getClientById(partnerClient.getClientUuid());
                    if (client != null) {
                        PartnerApiScope.apply(session, realm, client);
                        step.apply(session, realm, client, partnerClient.getPartner().getId(), partnerClient.getEnvironment());
                    }
                }
                return null;
            });
        }
        RealmUpgrade.done(factory, realmId, ATTR_REVISION, REVISION);
    }
}
