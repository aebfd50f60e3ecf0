package io.ensync.keycloak.partner;

import io.ensync.keycloak.common.Jpa;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

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
        List<String> realmIds = KeycloakModelUtils.runJobInTransactionWithResult(factory, session ->
                session.realms().getRealmsStream().filter(realm -> !REVISION.equals(realm.getAttribute(ATTR_REVISION)))
                        .map(RealmModel::getId).toList());
        for (String realmId : realmIds) {
            upgrade(factory, realmId, step);
        }
    }

    private static void upgrade(KeycloakSessionFactory factory, String realmId, Step step) {
        List<String> clients = KeycloakModelUtils.runJobInTransactionWithResult(factory, session -> Jpa.em(session)
                .createQuery("select c.id from PartnerClientEntity c where c.realmId = :realmId order by c.id", String.class)
                .setParameter("realmId", realmId).getResultList());
        for (int from = 0; from < clients.size(); from += BATCH) {
            List<String> batch = clients.subList(from, Math.min(from + BATCH, clients.size()));
            KeycloakModelUtils.runJobInTransaction(factory, session -> {
                RealmModel realm = session.realms().getRealm(realmId);
                session.getContext().setRealm(realm);
                for (String id : batch) {
                    PartnerClientEntity partnerClient = Jpa.em(session).find(PartnerClientEntity.class, id);
                    ClientModel client = partnerClient == null ? null : realm.getClientById(partnerClient.getClientUuid());
                    if (client != null) {
                        PartnerApiScope.apply(session, realm, client);
                        step.apply(session, realm, client, partnerClient.getPartner().getId(), partnerClient.getEnvironment());
                    }
                }
            });
        }
        KeycloakModelUtils.runJobInTransaction(factory, session -> {
            session.realms().getRealm(realmId).setAttribute(ATTR_REVISION, REVISION);
        });
    }
}
